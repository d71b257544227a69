import { BatchBuilder } from '../source/batch-builder.js';
import type { CaptureInterface, FrameBatch } from '../source/frame-batch.js';
import { H_CAPLEN, H_OFFSET, H_ORIGLEN, H_TS_NSEC, H_TS_SEC, HEADER_WORDS } from './native.js';

/**
 * One native delivery still being consumed: frames [pos, count). Header columns as the addon
 * lays them out: field k of frame i is headers[k * count + i].
 */
interface Chunk {
  arena: Uint8Array;
  headers: Uint32Array;
  count: number;
  pos: number;
  /** The arena holds each frame inside a pcapng EPB (native engine; see FrameBatch.epbArena). */
  epb: boolean;
  /** Epoch ms the chunk came in, when its hold is counted from then rather than from its frames' timestamps. */
  arrivedMs?: number;
  /** Gives the chunk's memory back to its engine, once no batch reads it any more. */
  release?: () => void;
}

interface Lane {
  /** The lane's index: the ifIndex of its frames. */
  index: number;
  chunks: Chunk[];
  ended: boolean;
}

/** Frames up to this size are copied with a loop (no view object); larger ones with set(). */
const LOOP_COPY_MAX = 256;

/**
 * k-way merge of per-interface native batches into one timeline ordered by timestamp. Lanes may
 * be added while the merge runs (addLane): a new lane counts as a live, silent interface from
 * then on, so it holds the others back by at most the window like any other.
 *
 * A frame is emitted when every interface that is still capturing has a frame queued (so none
 * can still deliver an earlier one), or when the frame is older than the cutoff the caller
 * passes (now minus a short window): an interface that stays silent delays the others by at
 * most that window. Ended interfaces never hold anything back. A frame's age is its timestamp's
 * (this machine's clock), or, for a chunk pushed with its arrival time, the time since it came:
 * a file's or another host's timestamps say nothing of how long it has waited here.
 *
 * With one interface left (lanes that ended and were drained no longer count: a followed
 * container's old veths cost nothing per frame), batches pass through without a copy (the
 * batch's arena is the native arena). With several, frames are copied into one merge arena reused from take to take, which
 * is what the FrameBatch lifetime contract allows.
 *
 * `interfaces` is the list batches carry; addLane appends to it, so a consumer indexing
 * `batch.interfaces[batch.ifIndex[i]]` finds a new lane's entry in the first batch holding its frames.
 */
export class TimelineMerge {
  private readonly lanes: Lane[];
  /** Lanes still capturing or holding frames, the only ones the per-frame loops look at. */
  private active: Lane[];
  private readonly builder: BatchBuilder;
  /** The one-interface batch: columns are views of the native headers, tsSec converted in bulk. */
  private readonly direct: FrameBatch;
  // A plain Uint8Array, not a Buffer: consumers copy frames with slice(), which on a Buffer
  // would return a view into this reused arena.
  private arena = new Uint8Array(1 << 20);
  /** The lane `direct.ifIndex` is filled with (-1: not filled). */
  private directLane = -1;
  /** The chunk `direct` hands out: released when the consumer asks for the next batch. */
  private lent: Chunk | undefined;
  /** Bytes of native arenas still queued; the source pauses capture above its limit. */
  queuedBytes = 0;

  constructor(
    private readonly interfaces: CaptureInterface[],
    capacity = 8192,
  ) {
    this.lanes = interfaces.map((_, index) => ({ index, chunks: [], ended: false }));
    this.active = [...this.lanes];
    this.builder = new BatchBuilder(capacity, interfaces);
    this.direct = { ...this.builder.take(), tsSec: new Float64Array(0), ifIndex: new Uint32Array(0) };
  }

  /** Appends `iface` to the interface list with the next id; returns its lane (its ifIndex in batches). */
  addLane(iface: Omit<CaptureInterface, 'id'>): number {
    const lane = this.lanes.length;
    this.interfaces.push({ ...iface, id: lane });
    const added = { index: lane, chunks: [], ended: false };
    this.lanes.push(added);
    this.active.push(added);
    return lane;
  }

  /**
   * `epb`: the arena holds each frame inside a pcapng EPB, as the native engine delivers it.
   * `arrivedMs`: hold these frames by the time they came in, not by their timestamps.
   * `release`: called once the merge and its consumer are done with `arena` and `headers`.
   */
  push(lane: number, arena: Uint8Array, headers: Uint32Array, epb = false, arrivedMs?: number, release?: () => void): void {
    const count = headers.length / HEADER_WORDS;
    if (count === 0) {
      release?.();
      return;
    }
    this.lanes[lane].chunks.push({ arena, headers, count, pos: 0, epb, arrivedMs, release });
    this.queuedBytes += arena.length;
  }

  end(lane: number): void {
    const l = this.lanes[lane];
    l.ended = true;
    this.retireIfDone(l);
  }

  /** Every interface ended (or none was ever added) and every queued frame taken. */
  get drained(): boolean {
    return this.active.length === 0;
  }

  /**
   * Epoch milliseconds of the oldest queued frame held back by a silent interface, or undefined
   * when nothing waits on the window. The caller wakes up at this plus its window.
   */
  heldSinceMs(): number | undefined {
    const min = this.minLane();
    return min && this.blockedBy(min) ? heldFromMs(min.chunks[0]) : undefined;
  }

  /**
   * The next batch that is safe to emit (see the class comment), or null. The batch taken before
   * is over (the FrameBatch lifetime contract): a chunk it lent out goes back to its engine.
   */
  take(cutoffMs: number): FrameBatch | null {
    this.lent?.release?.();
    this.lent = undefined;
    if (this.active.length === 1) return this.passThrough(this.active[0]);
    const b = this.builder;
    b.reset(this.arena);
    let used = 0;
    while (!b.full) {
      const lane = this.minLane();
      if (!lane) break;
      const chunk = lane.chunks[0];
      if (this.blockedBy(lane) && heldFromMs(chunk) > cutoffMs) break;
      const { headers: hd, count: n, pos: i } = chunk;
      const capLen = hd[H_CAPLEN * n + i];
      if (used + capLen > this.arena.length) {
        if (b.count > 0) break;
        this.arena = new Uint8Array(Math.max(capLen, this.arena.length * 2));
        b.reset(this.arena);
      }
      copyBytes(chunk.arena, hd[H_OFFSET * n + i], capLen, this.arena, used);
      b.push(used, capLen, hd[H_ORIGLEN * n + i], hd[H_TS_SEC * n + i], hd[H_TS_NSEC * n + i], lane.index);
      used += capLen;
      this.advance(lane, chunk);
    }
    return b.count > 0 ? b.take() : null;
  }

  /** One interface: the whole chunk is the batch, with no per-frame work (columns are views). */
  private passThrough(lane: Lane): FrameBatch | null {
    const chunk = lane.chunks[0];
    if (!chunk) return null;
    this.dropChunk(lane, false);
    this.lent = chunk;
    // A chunk the multi-lane path began (before the other lanes ended) passes on from its first untaken frame.
    const { headers: hd, count: total, pos } = chunk;
    const n = total - pos;
    const col = (k: number) => hd.subarray(k * total + pos, (k + 1) * total);
    const b = this.direct;
    if (b.tsSec.length < n) {
      b.tsSec = new Float64Array(n);
      b.ifIndex = new Uint32Array(n);
      this.directLane = -1;
    }
    if (this.directLane !== lane.index) b.ifIndex.fill((this.directLane = lane.index));
    b.tsSec.set(col(H_TS_SEC));
    b.count = n;
    b.data = chunk.arena;
    b.epbArena = chunk.epb;
    b.offset = col(H_OFFSET);
    b.capLen = col(H_CAPLEN);
    b.origLen = col(H_ORIGLEN);
    b.tsNsec = col(H_TS_NSEC);
    return b;
  }

  private advance(lane: Lane, chunk: Chunk): void {
    if (++chunk.pos === chunk.count) this.dropChunk(lane);
  }

  /** `release`: false when the chunk is lent out as the batch (its frames were not copied). */
  private dropChunk(lane: Lane, release = true): void {
    const done = lane.chunks.shift();
    if (done) {
      this.queuedBytes -= done.arena.length;
      if (release) done.release?.();
    }
    this.retireIfDone(lane);
  }

  private retireIfDone(lane: Lane): void {
    if (lane.ended && lane.chunks.length === 0) this.active = this.active.filter((l) => l !== lane);
  }

  /** The lane whose head frame is earliest, or undefined when nothing is queued. */
  private minLane(): Lane | undefined {
    let best: Lane | undefined;
    for (const l of this.active) {
      const c = l.chunks[0];
      if (c && (!best || earlier(c, best.chunks[0]))) best = l;
    }
    return best;
  }

  /** Whether a live interface other than `lane` has nothing queued (and so might still send earlier frames). */
  private blockedBy(lane: Lane): boolean {
    for (const l of this.active) if (l !== lane && !l.ended && l.chunks.length === 0) return true;
    return false;
  }
}

const field = (c: Chunk, k: number) => c.headers[k * c.count + c.pos];

function earlier(a: Chunk, b: Chunk): boolean {
  const sa = field(a, H_TS_SEC);
  const sb = field(b, H_TS_SEC);
  return sa !== sb ? sa < sb : field(a, H_TS_NSEC) < field(b, H_TS_NSEC);
}

function heldFromMs(c: Chunk): number {
  return c.arrivedMs ?? field(c, H_TS_SEC) * 1000 + field(c, H_TS_NSEC) / 1e6;
}

function copyBytes(src: Uint8Array, from: number, len: number, dst: Uint8Array, to: number): void {
  if (len <= LOOP_COPY_MAX) {
    for (let i = 0; i < len; i++) dst[to + i] = src[from + i];
  } else {
    dst.set(src.subarray(from, from + len), to);
  }
}
