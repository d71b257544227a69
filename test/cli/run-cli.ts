import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const main = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would, in UTC so times are stable. */
export function runCli(args: string[], input?: Buffer): CliResult {
  const r = spawnSync(process.execPath, [main, ...args], {
    cwd: repoRoot,
    input,
    env: { ...process.env, TZ: 'UTC' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
