import { NetnsCaptureSource } from '../capture/netns-source.js';
import { copyFrame, type OwnedFrame } from '../source/frame-batch.js';

/** A trace's hop inside a container's namespace: every frame of a NetnsCaptureSource, kept until the trace ends. */
export class NetnsCapture {
  readonly frames: OwnedFrame[] = [];
  private readonly reading: Promise<void>;

  private constructor(private readonly source: NetnsCaptureSource) {
    this.reading = (async () => {
      for await (const b of source) for (let i = 0; i < b.count; i++) this.frames.push(copyFrame(b, i));
    })().catch(() => undefined);
  }

  /** Starts tcpdump in `pid`'s namespace on `ifname`; resolves once it listens, or with why it could not. */
  static async start(pid: number, ifname: string, filter: string, label: string): Promise<NetnsCapture | string> {
    const s = await NetnsCaptureSource.start(pid, ifname, label, { filter });
    return typeof s === 'string' ? s : new NetnsCapture(s);
  }

  /** Stops tcpdump and waits for the last frame. */
  async stop(): Promise<OwnedFrame[]> {
    await this.source.close();
    await this.reading;
    return this.frames;
  }
}
