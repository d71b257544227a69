import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { openCaptureStream } from '../pcap/open.js';
import { copyFrame, type OwnedFrame } from '../source/frame-batch.js';

/**
 * A capture inside a container's network namespace, where an overlay container's interface lives
 * (its veth peer is in the overlay's own namespace, not on the host): the host's tcpdump entered
 * with nsenter writes pcap to a pipe, read by our pcap reader. The live engine cannot do this,
 * since libpcap opens its socket in the namespace of the process that calls it.
 */
export class NetnsCapture {
  readonly frames: OwnedFrame[] = [];
  private readonly child: ChildProcess;
  private readonly reading: Promise<void>;
  private readonly exited: Promise<unknown>;
  private stderr = '';

  private constructor(pid: number, ifname: string, filter: string, label: string) {
    this.child = spawn('nsenter', [`--net=/proc/${pid}/ns/net`, 'tcpdump', '-i', ifname, '-n', '-U', '--immediate-mode', '-s', '0', '--time-stamp-precision=nano', '-w', '-', filter], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = once(this.child, 'exit');
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    const source = openCaptureStream(this.child.stdout!, label);
    this.reading = (async () => {
      for await (const b of source) for (let i = 0; i < b.count; i++) this.frames.push(copyFrame(b, i));
    })();
  }

  /** Starts tcpdump in `pid`'s namespace on `ifname`; resolves once it listens, or with why it could not. */
  static async start(pid: number, ifname: string, filter: string, label: string): Promise<NetnsCapture | string> {
    const c = new NetnsCapture(pid, ifname, filter, label);
    const listening = new Promise<boolean>((resolve) => {
      const check = () => c.stderr.includes('listening on') && resolve(true);
      c.child.stderr!.on('data', check);
      c.child.once('error', () => resolve(false));
      void c.exited.then(() => resolve(false));
      setTimeout(() => resolve(false), 10_000).unref();
    });
    if (await listening) return c;
    c.child.kill('SIGKILL');
    await c.reading.catch(() => undefined);
    return `tcpdump in ${label}'s namespace did not start: ${c.stderr.trim().split('\n').pop() ?? 'no output'}`;
  }

  /**
   * Stops tcpdump and waits for the last frame. Immediate mode matters here: otherwise the kernel
   * hands frames over in blocks, once a second, and tcpdump stopped in between loses the block.
   */
  async stop(): Promise<OwnedFrame[]> {
    this.child.kill('SIGINT');
    await Promise.all([this.exited, this.reading.catch(() => undefined)]);
    return this.frames;
  }
}
