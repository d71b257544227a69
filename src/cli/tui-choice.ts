/** The UI opens only for a person at a terminal: not for --json, --no-tui, or piped output. */
export function wantsTui(flags: { tui: boolean; json?: boolean }): boolean {
  return flags.tui && !flags.json && process.stdout.isTTY === true && process.stdin.isTTY === true;
}
