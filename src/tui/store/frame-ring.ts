/**
 * The frames the UI can show: a bounded ring of owned frame bytes plus the few numbers the list
 * needs, as a struct of arrays over one byte arena (no object per frame). Frames are numbered by
 * arrival from 0 (`index`); the ring holds [first, end). When the frame slots or the arena are
 * full, the oldest frames are dropped and counted (`dropped`): the list says how many, and the
 * totals in the header still count them.
 *
 * The arena is circular: a frame that does not fit before its end starts again at 0, evicting
 * whatever older frames sit where it lands. Bytes returned by `bytes()` are a view into the arena,
 * valid until the next `push`. An `EvictionSink` (the spill file) sees each frame as it leaves,
 * oldest first, while its bytes are still intact.
 */
export interface FrameRingOptions {
  /** Most frames kept (default 100,000). */
  frames?: number;
  /** Bytes of frame data kept (default 64 MiB); at least `maxFrameBytes`. */
  arenaBytes?: number;
  /** Longer frames are cut to this many bytes in the ring (default 65,535); origLen is kept. */
  maxFrameBytes?: number;
}

export const DEFAULT_RING_FRAMES = 100_000;

/**
 * Told about every frame the ring drops, in index order, while its bytes are still at
 * `arena[offset, offset + capLen)` (they are overwritten after the call). Plain numbers, so the
 * hot path makes no object per frame and looks each field up once.
 */
export interface EvictionSink {
  evicted(index: number, offset: number, capLen: number, origLen: number, tsSec: number, tsNsec: number, linkType: number): void;
}

export class FrameRing {
  readonly capacity: number;
  readonly maxFrameBytes: number;
  /** Frame bytes; read only by an EvictionSink during its call. */
  readonly arena: Uint8Array;
  private readonly offset: Uint32Array;
  private readonly capLen: Uint32Array;
  private readonly origLen: Uint32Array;
  private readonly tsSec: Float64Array;
  private readonly tsNsec: Uint32Array;
  private readonly linkType: Uint16Array;
  private writePos = 0;
  /** Index of the oldest frame kept. */
  first = 0;
  /** Index the next frame will get (= frames ever pushed). */
  end = 0;
  sink: EvictionSink | undefined;

  constructor(opts: FrameRingOptions = {}) {
    this.capacity = opts.frames ?? DEFAULT_RING_FRAMES;
    this.maxFrameBytes = opts.maxFrameBytes ?? 65_535;
    const arenaBytes = Math.max(opts.arenaBytes ?? 64 << 20, this.maxFrameBytes);
    this.arena = new Uint8Array(arenaBytes);
    this.offset = new Uint32Array(this.capacity);
    this.capLen = new Uint32Array(this.capacity);
    this.origLen = new Uint32Array(this.capacity);
    this.tsSec = new Float64Array(this.capacity);
    this.tsNsec = new Uint32Array(this.capacity);
    this.linkType = new Uint16Array(this.capacity);
  }

  /** Frames held now. */
  get size(): number {
    return this.end - this.first;
  }

  /** Frames pushed but no longer held. */
  get dropped(): number {
    return this.first;
  }

  has(index: number): boolean {
    return index >= this.first && index < this.end;
  }

  /** Copies one frame in; returns its index. `src` may be reused by the caller afterwards. */
  push(src: Uint8Array, origLen: number, tsSec: number, tsNsec: number, linkType: number): number {
    const len = Math.min(src.length, this.maxFrameBytes);
    let start = this.writePos;
    if (start + len > this.arena.length) {
      // Wrapping: the frames between the write position and the arena's end are the oldest.
      while (this.size > 0 && this.offset[this.slot(this.first)] >= start) this.evictOldest();
      start = 0;
    }
    while (this.size > 0 && (this.size === this.capacity || this.overlapsOldest(start, len))) this.evictOldest();
    this.arena.set(len === src.length ? src : src.subarray(0, len), start);
    const i = this.end++;
    const s = this.slot(i);
    this.offset[s] = start;
    this.capLen[s] = len;
    this.origLen[s] = origLen;
    this.tsSec[s] = tsSec;
    this.tsNsec[s] = tsNsec;
    this.linkType[s] = linkType;
    this.writePos = start + len;
    return i;
  }

  bytes(index: number): Uint8Array {
    const s = this.slot(index);
    const o = this.offset[s];
    return this.arena.subarray(o, o + this.capLen[s]);
  }
  origLenOf(index: number): number {
    return this.origLen[this.slot(index)];
  }
  tsSecOf(index: number): number {
    return this.tsSec[this.slot(index)];
  }
  tsNsecOf(index: number): number {
    return this.tsNsec[this.slot(index)];
  }
  linkTypeOf(index: number): number {
    return this.linkType[this.slot(index)];
  }

  private evictOldest(): void {
    const i = this.first++;
    if (this.sink === undefined) return;
    const s = this.slot(i);
    this.sink.evicted(i, this.offset[s], this.capLen[s], this.origLen[s], this.tsSec[s], this.tsNsec[s], this.linkType[s]);
  }

  private slot(index: number): number {
    return index % this.capacity;
  }

  private overlapsOldest(start: number, len: number): boolean {
    const s = this.slot(this.first);
    const o = this.offset[s];
    // An empty frame still occupies its position, or it would shield the frames after it.
    return o < start + len && start < o + Math.max(1, this.capLen[s]);
  }
}
