import type { FrameBatch } from '../../source/frame-batch.js';

/**
 * The frames the UI can show: a bounded ring of owned frame bytes plus the few numbers the list
 * needs, as a struct of arrays over one byte arena (no object per frame). Frames are numbered by
 * arrival from 0 (`index`); the ring holds [first, end). When the frame slots or the arena are
 * full, the oldest frames are dropped and counted (`dropped`): the list says how many, and the
 * totals in the header still count them.
 *
 * A batch comes in with one copy per run of its frames (`pushBatch`): a run is frames that lie in
 * order in the batch's arena, copied with the few bytes between them (a pcap record header, the
 * rest of a pcapng block; at most MAX_GAP), since one copy of a run costs less than a copy per
 * frame. The arena is circular: a run that does not fit before its end starts again at 0,
 * evicting whatever older frames sit where it lands. Its end starts low and doubles, up to
 * `arenaBytes`, when a run would otherwise evict for want of bytes while frame slots are free: a
 * circular arena ends up touching every page below its end, so small frames (a ping flood:
 * 100,000 frames in about 13 MB, 16 MiB of arena) keep the memory they need, not the cap. Bytes returned by `bytes()` are a
 * view into the arena, valid until the next push.
 *
 * An `EvictionSink` (the spill file) sees frames as they leave, oldest first, while their bytes
 * are still intact. While it takes them, frames leave in runs (about `sink.runBytes`, at most
 * `slack` frames) so that it can write each run at once; the ring then holds up to `capacity +
 * slack` frames, and never fewer than `capacity` once that many have come (`newest()`).
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
/** Most bytes between two frames of one run (more, and the next frame starts a run of its own). */
export const MAX_GAP = 64;
/** Most frames above `capacity` held while a sink takes evicted runs (and so the longest run). */
const MAX_SLACK = 8192;

/**
 * Told about the frames the ring drops, in index order, while their bytes are still in the ring
 * (they are overwritten after the call). Each call is a run contiguous in the arena and in the
 * ring's slots: `ring.span` gives its bytes, `ring.columns` its numbers, each in one view.
 */
export interface EvictionSink {
  /** Bytes of frames it would like per run. */
  readonly runBytes: number;
  /** False once it has stopped taking frames: the ring then drops frames one by one, as it needs. */
  readonly accepting: boolean;
  evicted(ring: FrameRing, from: number, to: number): void;
}

/** A run's numbers, frame k of the run at [k] of each. */
export interface RingColumns {
  tsSec: Float64Array;
  tsNsec: Uint32Array;
  origLen: Uint32Array;
  capLen: Uint32Array;
  offset: Uint32Array;
  linkType: Uint16Array;
}

export class FrameRing {
  readonly capacity: number;
  readonly maxFrameBytes: number;
  /** The most the arena may grow to. */
  readonly arenaLimit: number;
  /** Frames held above `capacity` while a sink takes runs. */
  readonly slack: number;
  /** Allocated at the limit (untouched pages take no memory); frames are placed below `arenaLen`. */
  private readonly arena: Uint8Array;
  private arenaLen: number;
  private readonly slots: number;
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
    this.arena = new Uint8Array(this.arenaLimit);
    this.arenaLen = Math.min(this.arenaLimit, Math.max(INITIAL_ARENA_BYTES, 2 * this.maxFrameBytes));
    this.slack = Math.min(MAX_SLACK, Math.ceil(this.capacity / 8));
    this.slots = this.capacity + this.slack;
    this.offset = new Uint32Array(this.slots);
    this.capLen = new Uint32Array(this.slots);
    this.origLen = new Uint32Array(this.slots);
    this.tsSec = new Float64Array(this.slots);
    this.tsNsec = new Uint32Array(this.slots);
    this.linkType = new Uint16Array(this.slots);
  }

  /** Frames held now. */
  get size(): number {
    return this.end - this.first;
  }

  /** Bytes the arena takes now (it grows up to arenaLimit). */
  get arenaBytes(): number {
    return this.arenaLen;
  }

  /** Frames pushed but no longer held. */
  get dropped(): number {
    return this.first;
  }

  /** The oldest of the newest `capacity` frames held (the ring may hold up to `slack` more). */
  get newest(): number {
    return Math.max(this.first, this.end - this.capacity);
  }

  has(index: number): boolean {
    return index >= this.first && index < this.end;
  }

  /** Copies one frame in; returns its index. `src` may be reused by the caller afterwards. */
  push(src: Uint8Array, origLen: number, tsSec: number, tsNsec: number, linkType: number): number {
    const len = Math.min(src.length, this.maxFrameBytes);
    const start = this.place(len, 1);
    this.arena.set(len === src.length ? src : src.subarray(0, len), start);
    this.writePos = start + len;
    const i = this.end++;
    this.setFrame(this.slot(i), start, len, origLen, tsSec, tsNsec, linkType);
    return i;
  }

  /** Copies a batch's frames in (the batch may be reused afterwards); returns the first one's index. */
  pushBatch(b: FrameBatch): number {
    const firstIndex = this.end;
    const { data, offset, capLen } = b;
    const max = this.maxFrameBytes;
    let i = 0;
    while (i < b.count) {
      const s0 = offset[i];
      let e = s0 + Math.min(capLen[i], max);
      let j = i + 1;
      if (capLen[i] <= max) {
        const limit = s0 + Math.max(max, this.arenaLen >> 3);
        const most = i + this.capacity;
        while (j < b.count && j < most) {
          const o = offset[j];
          const c = capLen[j];
          if (o < e || o - e > MAX_GAP || c > max || o + c > limit) break;
          e = o + c;
          j++;
        }
      }
      const start = this.place(e - s0, j - i);
      this.arena.set(data.subarray(s0, e), start);
      this.writePos = start + (e - s0);
      // The run's numbers, in two stretches of slots: up to the slots' end, and on from slot 0
      // (empty unless the run wraps; called every time, so that optimised code has seen the call
      // before the slots first wrap, some 100,000 frames in).
      const s = this.slot(this.end);
      const n = Math.min(j - i, this.slots - s);
      this.copyColumns(b, i, i + n, s, start - s0);
      this.copyColumns(b, i + n, j, 0, start - s0);
      this.end += j - i;
      i = j;
    }
    return firstIndex;
  }

  /**
   * The numbers of a run's frames [from, to) of `b` into slots `s` on (no wrap), their bytes
   * `shift` from where the batch has them. The columns that need no arithmetic are copied whole
   * (a memcpy each) rather than stored frame by frame: a run is up to thousands of frames.
   */
  private copyColumns(b: FrameBatch, from: number, to: number, s: number, shift: number): void {
    this.origLen.set(b.origLen.subarray(from, to), s);
    this.tsSec.set(b.tsSec.subarray(from, to), s);
    this.tsNsec.set(b.tsNsec.subarray(from, to), s);
    // Every frame of a run of several fits maxFrameBytes (pushBatch ends a run before one that does not).
    if (to - from === 1) this.capLen[s] = Math.min(b.capLen[from], this.maxFrameBytes);
    else this.capLen.set(b.capLen.subarray(from, to), s);
    const { offset, ifIndex, interfaces } = b;
    let lastIf = -1;
    let linkType = 1;
    for (let k = from; k < to; k++, s++) {
      this.offset[s] = offset[k] + shift;
      if (ifIndex[k] !== lastIf) {
        lastIf = ifIndex[k];
        linkType = interfaces[lastIf]?.linkType ?? 1;
      }
      this.linkType[s] = linkType;
    }
  }

  bytes(index: number): Uint8Array {
    const s = this.slot(index);
    const o = this.offset[s];
    return this.arena.subarray(o, o + this.capLen[s]);
  }
  /** The arena from frame `from`'s first byte to frame `to - 1`'s last (for a sink: one run). */
  span(from: number, to: number): Uint8Array {
    const last = this.slot(to - 1);
    return this.arena.subarray(this.offset[this.slot(from)], this.offset[last] + this.capLen[last]);
  }
  /** The numbers of frames [from, to) as views of the ring's columns (a run as `evicted` gets it). */
  columns(from: number, to: number): RingColumns {
    const a = this.slot(from);
    const b = a + (to - from);
    return {
      tsSec: this.tsSec.subarray(a, b),
      tsNsec: this.tsNsec.subarray(a, b),
      origLen: this.origLen.subarray(a, b),
      capLen: this.capLen.subarray(a, b),
      offset: this.offset.subarray(a, b),
      linkType: this.linkType.subarray(a, b),
    };
  }
  /** Where a frame's bytes start in the arena. */
  offsetOf(index: number): number {
    return this.offset[this.slot(index)];
  }
  capLenOf(index: number): number {
    return this.capLen[this.slot(index)];
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

  private setFrame(s: number, start: number, len: number, origLen: number, tsSec: number, tsNsec: number, linkType: number): void {
    this.offset[s] = start;
    this.capLen[s] = len;
    this.origLen[s] = origLen;
    this.tsSec[s] = tsSec;
    this.tsNsec[s] = tsNsec;
    this.linkType[s] = linkType;
  }

  /**
   * Makes room for `n` frames taking `len` bytes together (growing the arena or evicting the
   * oldest frames) and returns where their bytes go.
   */
  private place(len: number, n: number): number {
    if (this.size < this.capacity && this.arenaLen < this.arenaLimit && this.mustEvictForBytes(len)) this.grow(len);
    const bulk = this.sink !== undefined && this.sink.accepting;
    let to = this.first;
    let start = this.writePos;
    if (start + len > this.arenaLen) {
      // Wrapping: the frames between the write position and the arena's end are the oldest.
      while (to < this.end && this.offset[this.slot(to)] >= start) to++;
      start = 0;
    }
    if (this.end - to + n > this.capacity + (bulk ? this.slack : 0)) to = Math.max(to, this.end + n - this.capacity);
    while (to < this.end && this.overlaps(to, start, len)) to++;
    if (to === this.first) return start;
    if (bulk) {
      // A run of about runBytes for the sink, unless the slots already made one (slot by slot: a run is thousands of frames).
      let bytes = this.offsetOf(to - 1) + this.capLenOf(to - 1) - this.offsetOf(this.first);
      const most = Math.min(this.end, this.first + this.slack);
      const runBytes = this.sink!.runBytes;
      for (let s = this.slot(to); to < most && bytes < runBytes; to++) {
        bytes += this.capLen[s];
        if (++s === this.slots) s = 0;
      }
    }
    this.evictTo(to);
    return start;
  }

  /** Drops frames [first, to), handing them to the sink in runs contiguous in the arena. */
  private evictTo(to: number): void {
    const sink = this.sink;
    if (sink === undefined || !sink.accepting) {
      this.first = to;
      return;
    }
    while (this.first < to) {
      const from = this.first;
      // Up to the slots' end at most: slots s0.. of the run are consecutive.
      const s0 = this.slot(from);
      const x = this.contiguous(s0, Math.min(to - from, this.slots - s0));
      if (sink.accepting) sink.evicted(this, from, from + x);
      this.first = from + x;
    }
  }

  /**
   * How many of the `n` frames in slots s0.. lie in order in the arena (at least 1). A function of
   * its own: the first eviction walks thousands of frames, and V8 compiles a loop that long on the
   * stack; in evictTo, the code after the loop had then never run, and that compiled code was
   * thrown away at its end.
   */
  private contiguous(s0: number, n: number): number {
    let x = 1;
    let prevEnd = this.offset[s0] + this.capLen[s0];
    while (x < n) {
      const o = this.offset[s0 + x];
      if (o < prevEnd) break;
      prevEnd = o + this.capLen[s0 + x];
      x++;
    }
    return x;
  }

  /** Whether placing `len` bytes at the write position (or at 0, wrapping) would evict a frame. */
  private mustEvictForBytes(len: number): boolean {
    if (this.size === 0) return false;
    const start = this.writePos + len > this.arenaLen ? 0 : this.writePos;
    if (start === 0 && this.writePos + len > this.arenaLen && this.offsetOf(this.first) >= this.writePos) return true;
    return this.overlaps(this.first, start, len);
  }

  /**
   * A larger arena (double, or more for `len`, up to the limit). Frames held in one stretch stay
   * where they are (the arena just reaches further: no copy, and only the pages written to take
   * memory); when they wrap, they are laid out again from 0 in order, each run with one copy.
   */
  private grow(len: number): void {
    this.arenaLen = Math.min(this.arenaLimit, Math.max(this.arenaLen * 2, this.writePos + len));
    if (this.size === 0 || this.offsetOf(this.first) <= this.offsetOf(this.end - 1)) return;
    const held = new Uint8Array(this.arenaLen);
    let at = 0;
    for (let from = this.first; from < this.end; ) {
      let to = from + 1;
      while (to < this.end && this.offsetOf(to) >= this.offsetOf(to - 1) + this.capLenOf(to - 1)) to++;
      const span = this.span(from, to);
      held.set(span, at);
      const shift = at - this.offsetOf(from);
      for (let i = from; i < to; i++) this.offset[this.slot(i)] += shift;
      at += span.length;
      from = to;
    }
    this.arena.set(held.subarray(0, at), 0);
    this.writePos = at;
  }

  private slot(index: number): number {
    return index % this.slots;
  }

  private overlaps(index: number, start: number, len: number): boolean {
    const s = this.slot(index);
    const o = this.offset[s];
    // An empty frame still occupies its position, or it would shield the frames after it.
    return o < start + len && start < o + Math.max(1, this.capLen[s]);
  }
}
