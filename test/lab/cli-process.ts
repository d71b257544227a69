import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const FINDING = '  ! ';

/**
 * The built CLI as a long-running child (a live capture), with its output gathered as it comes so
 * a test can wait for a line, send a signal, and read the exit. `runCli` (spawnSync) serves the
 * commands that end by themselves.
 */
export class CliProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, [main, ...args], {
      cwd: repoRoot,
      env: { ...process.env, TZ: 'UTC', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d: Buffer) => (this.stdout += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    // 'close', not 'exit': at 'exit' the last output may still be unread in the pipes, and a test
    // that reads the lines then would miss the frames printed as the capture ended.
    this.exited = once(this.child, 'close').then(([code, signal]) => ({
      code: code as number | null,
      signal: signal as NodeJS.Signals | null,
    }));
  }

  /** Frame lines printed so far (stdout, one per frame); analysis findings (`  ! ...`) are not frames. */
  get lines(): string[] {
    return this.stdout.split('\n').filter((l) => l !== '' && !l.startsWith(FINDING));
  }

  /** Analysis finding lines printed so far (`  ! ...`, after the frame that raised them or at the end). */
  get findings(): string[] {
    return this.stdout.split('\n').filter((l) => l.startsWith(FINDING));
  }

  /** Resolves when `check` holds; fails naming `what` and the output so far, or if the child ends first. */
  async until(what: string, check: (p: CliProcess) => boolean, ms = 15_000): Promise<void> {
    const end = Date.now() + ms;
    while (!check(this)) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new Error(`CLI ended (${this.child.exitCode ?? this.child.signalCode}) before ${what}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      }
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Waits until the capture is open (the "capturing on" notice is written after the interfaces are). */
  started(): Promise<void> {
    return this.until('capture start', (p) => p.stderr.includes('capturing on'));
  }

  async stop(signal: NodeJS.Signals = 'SIGINT'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.kill(signal);
    return this.exited;
  }

  /** Ends a child a failed test left running. */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** Frame count and epoch timestamps ("sec.nsec") as tshark reads a capture file. */
export function tsharkTimes(file: string): string[] {
  const out = execFileSync('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.time_epoch'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out.split('\n').filter(Boolean);
}

/** Epoch timestamps of our own replay of a capture file (NDJSON `ts`). */
export function replayTimes(file: string): string[] {
  const out = execFileSync(process.execPath, [main, 'replay', file, '--json', '--no-names'], { encoding: 'utf8', cwd: repoRoot });
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { ts: string }).ts);
}
