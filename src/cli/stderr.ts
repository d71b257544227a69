import { sanitizeLines } from '../present/sanitize.js';

/**
 * Every message the CLI writes to stderr goes through here. Messages quote file names, flag values,
 * bytes of a file and names from Docker, so they are escaped like everything else on a terminal.
 */
export function writeStderr(text: string): void {
  process.stderr.write(sanitizeLines(text));
}

/** One `bridgescope: ...` line. */
export function notice(message: string): void {
  writeStderr(`bridgescope: ${message}\n`);
}
