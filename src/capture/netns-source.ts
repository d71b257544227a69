import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { openCaptureStream } from '../pcap/open.js';
import type { CaptureFileSource } from '../pcap/capture-file-source.js';
import type { CaptureInterface, CaptureSource, CaptureStats, FrameBatch } from '../source/frame-batch.js';
import type { InterfaceEnd } from './merged-source.js';
import { readTcpdumpCounter } from './tcpdump-counters.js';

const START_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 3000;

/**
 * A capture inside a process's network namespace, where an overlay container's interface lives
 * (its veth peer is in the overlay's own namespace, not on the host): the host's tcpdump entered
 * with nsenter writes nanosecond pcap to a pipe, read by our pcap reader. The live engine cannot
 * do this, since libpcap opens its socket in the namespace of the process that calls it.
 * Immediate mode matters: otherwise the kernel hands frames over in blocks, once a second, and a
 * tcpdump stopped in between loses the block. Its one interface is named `label`; its times are
 * this machine's clock, like the live engine's.
 */
export class NetnsCaptureSource implements CaptureSource {
  private readonly child: ChildProcess;
  private readonly reader: CaptureFileSource;
  private readonly exited: Promise<unknown>;
  private stderr = '';
  private counters = { received: 0, droppedByKernel: 0, droppedByInterface: 0 };
  private stopping = false;
  /** Why tcpdump ended by itself (the interface went away with its container); set once it has. */
  ended?: InterfaceEnd;

  private constructor(
    pid: number,
    ifname: string,
    readonly label: string,
    opts: { filter?: string; snaplen?: number },
  ) {
    const argv = ['-i', ifname, '-n', '-U', '--immediate-mode', '-s', String(opts.snaplen ?? 0), '--time-stamp-precision=nano', '-w', '-'];
    this.child = spawn('nsenter', [`--net=/proc/${pid}/ns/net`, 'tcpdump', ...argv, ...(opts.filter ? [opts.filter] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = once(this.child, 'exit').catch(() => undefined);
    this.child.on('error', () => undefined); // no nsenter: start() says so from stderr's silence
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (d: string) => (this.stderr += d));
    this.reader = openCaptureStream(this.child.stdout!, label);
  }

  /** Starts tcpdump in `pid`'s namespace on `ifname`; resolves once it listens, or with why it could not. */
  static async start(pid: number, ifname: string, label: string, opts: { filter?: string; snaplen?: number } = {}): Promise<NetnsCaptureSource | string> {
    const c = new NetnsCaptureSource(pid, ifname, label, opts);
    const listening = await new Promise<boolean>((resolve) => {
      const check = () => c.stderr.includes('listening on') && resolve(true);
      c.child.stderr!.on('data', check);
      c.child.once('error', () => resolve(false));
      void c.exited.then(() => resolve(false));
      setTimeout(() => resolve(false), START_TIMEOUT_MS).unref();
    });
    if (listening) return c;
    c.child.kill('SIGKILL');
    return `tcpdump in ${label}'s namespace did not start: ${c.lastWords() ?? 'no output'}`;
  }

  get interfaces(): readonly CaptureInterface[] {
    return this.reader.interfaces;
  }

  /** tcpdump's counters, which it prints as it ends. */
  stats(): CaptureStats[] {
    return [{ interface: this.label, ...this.counters }];
  }

  /** Stops tcpdump (it writes out what it holds and its counters), then waits for it to exit. */
  async close(): Promise<void> {
    this.stopping = true;
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGINT');
    const kill = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(kill);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<FrameBatch> {
    let failure: string | undefined;
    try {
      for await (const b of this.reader) {
        for (const i of b.interfaces) i.name ??= this.label;
        yield b;
      }
    } catch (err) {
      failure = (err as Error).message;
    }
    await this.exited;
    this.readCounters();
    if (!this.stopping) this.ended = { interface: this.label, reason: this.lastWords() ?? failure ?? 'tcpdump exited', code: 'CAPTURE_FAILED' };
  }

  /** tcpdump's last line that is not its banner or a counter. */
  private lastWords(): string | undefined {
    return this.stderr.split('\n').map((l) => l.trim())
      .filter((l) => l && !/^(tcpdump: (listening on|verbose output suppressed)|\d+ packets? )/.test(l)).pop();
  }

  private readCounters(): void {
    for (const line of this.stderr.split('\n')) readTcpdumpCounter(line.trim(), this.counters);
  }
}
