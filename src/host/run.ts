import { execFile } from 'node:child_process';

/** What a host command said: its exit code (-1 when it could not start), stdout and stderr. */
export interface HostRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a host program (argv as given, never through a shell) and always resolves: a missing
 * program or a non-zero exit is data for the caller to judge, not an exception.
 */
export function runHost(argv: readonly string[], timeoutMs = 30_000): Promise<HostRun> {
  return new Promise((resolve) => {
    execFile(argv[0], argv.slice(1), { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: err && code === -1 && !stderr ? err.message : String(stderr) });
    });
  });
}

/** Whether `name` is a program on PATH. */
export async function hasProgram(name: string): Promise<boolean> {
  return (await runHost(['sh', '-c', 'command -v "$0"', name])).code === 0;
}
