import { FrameRing, type FrameRingOptions } from './frame-ring.js';
import { FrameSpill, type FrameSpillOptions, type SpilledFrame } from './frame-spill.js';

/**
 * Every frame the UI can still show, by index: the newest in the ring (memory), the older ones in
 * the spill file (disk). Indices [first, end) are held; `first` is the spill's start while spilling
 * works (0 until its bounds drop the oldest) and the ring's first once it has failed (or was
 * turned off with `spill: false`).
 *
 * `bytes()` of a ring frame is a view valid until the next push; of a spilled frame, a fresh copy.
 * The last spilled frame read is kept, so a row's several accessors cost one read.
 */
export class FrameHistory {
  readonly ring: FrameRing;
  readonly spill: FrameSpill | undefined;
  private lastIndex = -1;
  private last: SpilledFrame | undefined;

  constructor(ring?: FrameRingOptions, spill?: FrameSpillOptions | false) {
    this.ring = new FrameRing(ring);
    if (spill !== false) {
      this.spill = new FrameSpill(spill);
      this.ring.sink = this.spill;
    }
  }

  get first(): number {
    return this.spill !== undefined && this.spill.count === this.ring.first ? this.spill.start : this.ring.first;
  }
  get end(): number {
    return this.ring.end;
  }
  /** Frames held, in memory and on disk. */
  get size(): number {
    return this.end - this.first;
  }
  /** Frames received but no longer held anywhere. */
  get dropped(): number {
    return this.first;
  }
  /** Why spilling stopped, if it did. */
  get spillError(): string | undefined {
    return this.spill?.error;
  }

  has(index: number): boolean {
    return index >= this.first && index < this.end;
  }

  bytes(index: number): Uint8Array {
    return this.ring.has(index) ? this.ring.bytes(index) : (this.spilled(index)?.bytes ?? EMPTY);
  }
  origLenOf(index: number): number {
    return this.ring.has(index) ? this.ring.origLenOf(index) : (this.spilled(index)?.origLen ?? 0);
  }
  tsSecOf(index: number): number {
    return this.ring.has(index) ? this.ring.tsSecOf(index) : (this.spilled(index)?.tsSec ?? 0);
  }
  tsNsecOf(index: number): number {
    return this.ring.has(index) ? this.ring.tsNsecOf(index) : (this.spilled(index)?.tsNsec ?? 0);
  }
  linkTypeOf(index: number): number {
    return this.ring.has(index) ? this.ring.linkTypeOf(index) : (this.spilled(index)?.linkType ?? 1);
  }

  dispose(): void {
    this.spill?.dispose();
    this.last = undefined;
    this.lastIndex = -1;
  }

  private spilled(index: number): SpilledFrame | undefined {
    if (index !== this.lastIndex || this.last === undefined) {
      this.last = this.spill?.read(index);
      this.lastIndex = index;
    }
    return this.last;
  }
}

const EMPTY = new Uint8Array(0);
