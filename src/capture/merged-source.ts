import type { CaptureInterface, CaptureSource, CaptureStats, FrameBatch } from '../source/frame-batch.js';
import { TimelineMerge } from './timeline-merge.js';

export interface InterfaceEnd {
  interface: string;
  /** The engine's words, e.g. libpcap's "The interface disappeared". */
  reason: string;
  /** The addon's code: PCAP_IFACE_NOT_UP, PCAP_ERROR, PCAP_POLL_ERROR (cap: CAP_ERROR). */
  code: string;
}

/**
 * Default for MergeOptions.maxQueuedBytes: a second or so of a flood ping, enough to ride out a
 * stall of the consumer (GC, a slow render) before the kernel buffer takes over, and small enough
 * not to dominate the memory of a consumer that cannot keep up (the UI).
 */
export const DEFAULT_MAX_QUEUED_BYTES = 16 * 1024 * 1024;

export interface MergeOptions {
  /** Longest a frame waits for a silent interface before it is emitted anyway, in ms. */
  mergeWindowMs: number;
  /** Queued bytes past which the engine is asked to stop reading (the kernel then buffers, then drops). */
  maxQueuedBytes: number;
  /** Called when one interface stops by itself (deleted, set down); the others go on. */
  onInterfaceEnd?: (end: InterfaceEnd) => void;
  /**
   * Keep the stream open when every interface has ended (or none was open yet), until close():
   * for a caller that adds interfaces as containers come back (addInterface).
   */
  holdOpen?: boolean;
}

/**
 * What every live engine shares: per-interface deliveries (native header layout, see native.ts)
 * merged into one timeline, iteration with the FrameBatch lifetime contract, backpressure by
 * pausing the engine, and the record of interfaces that ended by themselves. An engine subclass
 * calls deliver() and laneEnded(), and implements stats(), stopEngine(), setReading() and
 * addInterface() (with addLane()).
 */
export abstract class MergedCaptureSource implements CaptureSource {
  abstract readonly engine: 'native' | 'cap';
  private readonly merge: TimelineMerge;
  private readonly ends: InterfaceEnd[] = [];
  protected closed = false;
  protected paused = false;
  private wake: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private pendingSignal: NodeJS.Immediate | null = null;

  constructor(
    readonly interfaces: CaptureInterface[],
    private readonly mergeOptions: MergeOptions,
  ) {
    this.merge = new TimelineMerge(interfaces);
  }

  get label(): string {
    return this.interfaces.map((i) => i.name).join(', ');
  }

  abstract stats(): CaptureStats[];
  /**
   * Opens one more interface while the capture runs; its frames join the timeline from then on,
   * and it is `interfaces[lane]` in every batch after. Throws the typed errors of ./errors.ts.
   */
  abstract addInterface(name: string): CaptureInterface;
  /** Closes every interface of the engine; called once, by close(). */
  protected abstract stopEngine(): void;
  protected abstract setReading(on: boolean): void;

  /** Interfaces that stopped by themselves, with the engine's reason, in the order they stopped. */
  endReasons(): readonly InterfaceEnd[] {
    return this.ends;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopEngine();
    this.interfaces.forEach((_, lane) => this.merge.end(lane));
    this.signal();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<FrameBatch> {
    try {
      for (;;) {
        const batch = this.merge.take(Date.now() - this.mergeOptions.mergeWindowMs);
        if (batch) {
          this.resumeIfRoom();
          yield batch;
        } else if (this.merge.drained && (this.closed || !this.mergeOptions.holdOpen)) {
          return;
        } else {
          await this.nextEvent();
        }
      }
    } finally {
      await this.close();
    }
  }

  /**
   * `arena` must be a plain Uint8Array, not a Buffer: a consumer's slice() must copy. `epb`: it
   * holds each frame inside a pcapng EPB (the native engine's layout, NATIVE_EPB). `arrivedMs`:
   * the frames are held for silent lanes from then, not from their timestamps (another clock's).
   * `release`: called once nothing reads `arena` and `headers` any more (the engine may reuse them).
   */
  protected deliver(lane: number, arena: Uint8Array, headers: Uint32Array, epb = false, arrivedMs?: number, release?: () => void): void {
    this.merge.push(lane, arena, headers, epb, arrivedMs, release);
    if (!this.paused && this.merge.queuedBytes > this.mergeOptions.maxQueuedBytes) {
      this.paused = true;
      this.setReading(false);
    }
    this.signalAfterPoll();
  }

  /** Registers a lane the subclass has just opened; returns its index (the frames' ifIndex). */
  protected addLane(iface: Omit<CaptureInterface, 'id'>): number {
    const lane = this.merge.addLane(iface);
    this.signalAfterPoll();
    return lane;
  }

  /** `quiet`: the lane's end is not one to report (a part stopped as asked, or already said why). */
  protected laneEnded(lane: number, reason: string, code: string, quiet = false): void {
    this.merge.end(lane);
    if (!quiet) {
      const end = { interface: this.interfaces[lane].name ?? String(lane), reason, code };
      this.ends.push(end);
      this.mergeOptions.onInterfaceEnd?.(end);
    }
    this.signalAfterPoll();
  }

  private resumeIfRoom(): void {
    if (this.paused && this.merge.queuedBytes < this.mergeOptions.maxQueuedBytes / 2) {
      this.paused = false;
      this.setReading(true);
    }
  }

  /**
   * Waits for a delivery, an end, or the merge window of a held frame. Every wake-up but close()
   * goes through setImmediate, i.e. after the event loop's poll phase has drained every readable
   * interface: waking from inside one interface's callback would let the merge release its frames
   * (microtasks run between I/O callbacks) while an earlier frame of the next interface sits
   * unread in the same poll phase.
   */
  private nextEvent(): Promise<void> {
    const held = this.merge.heldSinceMs();
    if (held !== undefined) {
      const delay = Math.max(0, held + this.mergeOptions.mergeWindowMs - Date.now());
      this.timer = setTimeout(() => this.signalAfterPoll(), delay);
    }
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  private signalAfterPoll(): void {
    this.pendingSignal ??= setImmediate(() => this.signal());
  }

  private signal(): void {
    if (this.pendingSignal) clearImmediate(this.pendingSignal);
    this.pendingSignal = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
