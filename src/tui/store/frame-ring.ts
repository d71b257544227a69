/**
 * The frames the UI can show: a bounded ring of owned frame bytes plus the few numbers the list
 * needs, as a struct of arrays over one byte arena (no object per frame). Frames are numbered by
 * arrival from 0 (`index`); the ring holds [first, end). When the frame slots or the arena are
 * full, the oldest frames are dropped and counted (`dropped`): the list says how many, and the
 * totals in the header still count them.
 *
 * The arena is circular: a frame that does not fit before its end starts again at 0, evicting
 * whatever older frames sit where it lands. It starts small and doubles, up to `arenaBytes`, when
 * a frame would otherwise evict for want of bytes while frame slots are free: a circular arena
 * ends up touching every page it has, so small frames (a ping flood: 100,000 frames in about
 * 10 MB) keep the memory they need, not the cap. Bytes returned by `bytes()` are a view into the
 * arena, valid until the next `push`. An `EvictionSink` (the spill file) sees each frame as it
 * leaves, oldest first, while its bytes are still intact.
 */
export interface FrameRingOptions {
  /** Most frames kept (default 100,000). */
  frames?: number;
  /** Most bytes of frame data kept (default 64 MiB); at least `maxFrameBytes`. */
  arenaBytes?: number;
  /** Longer frames are cut to this many bytes in the ring (default 65,535); origLen is kept. */
  maxFrameBytes?: number;
}

export const DEFAULT_RING_FRAMES = 100_000;
export const DEFAULT_RING_BYTES = 64 << 20;
/** The arena's first size; it doubles from here as frames need (see the class comment). */
const INITIAL_ARENA_BYTES = 4 << 20;

/**
 * Told about every frame the ring drops, in index order, while its bytes are still at
 * `arena[offset, offset + capLen)` (they are overwritten after the call; the arena is the ring's
 * current one, replaced when it grows). Plain values, so the hot path makes no object per frame
 * and looks each field up once.
 */
export interface EvictionSink {
  evicted(index: number, arena: Uint8Array, offset: number, capLen: number, origLen: number, tsSec: number, tsNsec: number, linkType: number): void;
}

export class FrameRing {
  readonly capacity: number;
  readonly maxFrameBytes: number;
  /** The most the arena may grow to. */
  readonly arenaLimit: number;
  private arena: Uint8Array;
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
    this.arenaLimit = Math.max(opts.arenaBytes ?? DEFAULT_RING_BYTES, this.maxFrameBytes);
    this.arena = new Uint8Array(Math.min(this.arenaLimit, Math.max(INITIAL_ARENA_BYTES, 2 * this.maxFrameBytes)));
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

  /** Bytes the arena takes now (it grows up to arenaLimit). */
  get arenaBytes(): number {
    return this.arena.length;
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
    if (this.size < this.capacity && this.arena.length < this.arenaLimit && this.mustEvictForBytes(len)) this.grow(len);
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

  /** Whether placing `len` bytes at the write position (or at 0, wrapping) would evict a frame. */
  private mustEvictForBytes(len: number): boolean {
    if (this.size === 0) return false;
    const start = this.writePos + len > this.arena.length ? 0 : this.writePos;
    if (start === 0 && this.writePos + len > this.arena.length && this.offset[this.slot(this.first)] >= this.writePos) return true;
    return this.overlapsOldest(start, len);
  }

  /** A larger arena (double, or more for `len`, up to the limit) with the held frames laid out from 0 in order. */
  private grow(len: number): void {
    const next = new Uint8Array(Math.min(this.arenaLimit, Math.max(this.arena.length * 2, this.writePos + len)));
    let at = 0;
    for (let i = this.first; i < this.end; i++) {
      const s = this.slot(i);
      const o = this.offset[s];
      next.set(this.arena.subarray(o, o + this.capLen[s]), at);
      this.offset[s] = at;
      at += this.capLen[s];
    }
    this.arena = next;
    this.writePos = at;
  }

  private evictOldest(): void {
    const i = this.first++;
    if (this.sink === undefined) return;
    const s = this.slot(i);
    this.sink.evicted(i, this.arena, this.offset[s], this.capLen[s], this.origLen[s], this.tsSec[s], this.tsNsec[s], this.linkType[s]);
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
