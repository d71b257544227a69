import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync, writevSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EvictionSink, type FrameRing, type RingColumns } from './frame-ring.js';

export interface FrameSpillOptions {
  /** Parent of the private spill folder (default os.tmpdir()). */
  dir?: string;
  /** Frames leave the ring in runs of about this many bytes, each appended at once (default 1 MiB). */
  batchBytes?: number;
  /** Most frames kept (default 4,194,304); the oldest go first, 8,192 at a time. */
  maxFrames?: number;
  /**
   * Most bytes kept on disk (default 1 GiB), in 16 files: the oldest file goes when a 17th starts.
   * A file holds at least one chunk of the index (8,192 frames), so that many frames are kept in any case.
   */
  maxBytes?: number;
}

export const DEFAULT_SPILL_FRAMES = 4 * 1024 * 1024;
export const DEFAULT_SPILL_BYTES = 1024 * 1024 * 1024;
/** Files the disk budget is cut into: dropping the oldest frees a sixteenth of it at once. */
const SEGMENTS = 16;

/**
 * A run of frames is appended as one piece: a preamble (the run's first index f64, its frame count
 * n u32, and where its bytes started in the ring's arena u32), the run's numbers as the ring's
 * columns hold them (tsSec f64 x n, then tsNsec, origLen, capLen and arena offset u32 x n, then
 * linkType u16 x n), then the run's bytes as the arena holds them (with the few bytes a batch had
 * between two frames, see FrameRing). Columns and bytes go as they are: spilling costs no work per frame. The file is
 * the process's own, so the columns are in its byte order.
 */
const PREAMBLE = 16;
const COLUMN_BYTES = 8 + 4 * 4 + 2;
/** Frames are dropped (maxFrames) a chunk of this many at a time, and no piece spans two chunks. */
const CHUNK = 8192;
/** Bytes the index takes per piece (two numbers) and per chunk (its arrays, file and segment). */
const PIECE_INDEX_BYTES = 16;
const CHUNK_INDEX_BYTES = 64;

/** One frame read back from the spill file: `bytes` is a fresh copy the caller may keep. */
export class SpilledFrame {
  constructor(
    readonly tsSec: number,
    readonly tsNsec: number,
    readonly origLen: number,
    readonly linkType: number,
    readonly bytes: Uint8Array,
  ) {}
}

/** Where a chunk's pieces start: frame (within the chunk) and file offset of each, in order. */
interface ChunkIndex {
  starts: number[];
  offsets: number[];
}

/** A piece's preamble and columns, read back (the last one read is kept: rows read neighbours). */
interface Piece extends RingColumns {
  seg: number;
  at: number;
  first: number;
  base: number;
  /** File offset of the piece's bytes. */
  dataAt: number;
}

/**
 * Frames evicted from the ring, kept on disk: the ring hands each run of leaving frames to
 * `evicted`, which appends it to a file in a private mkdtemp folder straight from the ring's
 * arena and columns, in one write (the folder is created at the first write, removed by `dispose`; each file
 * is unlinked as soon as it is open, so a killed process leaves at most the empty folder behind).
 * The spill holds frames [start, count), the newest `maxFrames` and `maxBytes` at most: the
 * in-memory index is PIECE_INDEX_BYTES per piece held (a piece is a run the ring evicted, about
 * `runBytes` or the ring's slack in frames, cut where a chunk of CHUNK frames ends: under 64 KiB
 * for the 4,194,304 frames of a ping flood) plus the last piece read back, and the disk holds at
 * most `maxBytes` in SEGMENTS files, the oldest removed whole as a new one starts. However long a
 * capture runs, memory and disk stay within those bounds.
 *
 * A failed write or read (disk full, folder removed) is not thrown: the spill stops, deletes its
 * files, forgets every spilled frame (`count` drops to 0) and keeps the reason in `error`.
 */
export class FrameSpill implements EvictionSink {
  readonly runBytes: number;
  private readonly parent: string;
  private readonly preamble = new Float64Array(2);
  private readonly preambleWords = new Uint32Array(this.preamble.buffer);
  private readonly preambleBytes = new Uint8Array(this.preamble.buffer);
  private piece: Piece | undefined;
  private dir: string | undefined;
  /** The file being appended to (segment `seg`); -1 until the first write. */
  private fd = -1;
  private seg = 0;
  /** Bytes written to the current file. */
  private written = 0;
  /** Earlier files still holding frames: their descriptors by segment number. */
  private readonly closedSegments = new Map<number, number>();
  private readonly segmentBytes: number;
  private readonly maxChunks: number;
  /** Per chunk held (chunk number firstChunk + k): its pieces, and its file. */
  private chunks: ChunkIndex[] = [];
  private readonly segOf: number[] = [];
  private firstChunk = 0;
  /** Frames held: indices [start, count). */
  start = 0;
  count = 0;
  error: string | undefined;

  constructor(opts: FrameSpillOptions = {}) {
    this.parent = opts.dir ?? tmpdir();
    this.runBytes = opts.batchBytes ?? 1 << 20;
    this.segmentBytes = Math.max(this.runBytes, Math.floor((opts.maxBytes ?? DEFAULT_SPILL_BYTES) / SEGMENTS));
    this.maxChunks = Math.max(2, Math.ceil((opts.maxFrames ?? DEFAULT_SPILL_FRAMES) / CHUNK));
  }

  get accepting(): boolean {
    return this.error === undefined;
  }

  /** The spill folder, once the first run has been written. */
  get path(): string | undefined {
    return this.dir;
  }

  /** Memory the offset index takes now (bytes). */
  get indexBytes(): number {
    let n = this.chunks.length * CHUNK_INDEX_BYTES;
    for (const c of this.chunks) n += c.starts.length * PIECE_INDEX_BYTES;
    return n;
  }

  evicted(ring: FrameRing, from: number, to: number): void {
    // Spilled frames must stay contiguous: once stopped, or if frames were missed, stop.
    if (this.error !== undefined || from !== this.count) return;
    for (let a = from; a < to; ) {
      // A new chunk first: it may start a new file, and a run must go to the file its chunk is in.
      if (Math.floor(a / CHUNK) - this.firstChunk === this.chunks.length) this.startChunk();
      const b = Math.min(to, (Math.floor(a / CHUNK) + 1) * CHUNK);
      if (!this.append(ring, a, b)) return;
      a = b;
    }
  }

  /** Appends frames [a, b) of one chunk as one piece: preamble, columns and bytes, in one write. */
  private append(ring: FrameRing, a: number, b: number): boolean {
    const n = b - a;
    const c = ring.columns(a, b);
    this.preamble[0] = a;
    this.preambleWords[2] = n;
    this.preambleWords[3] = c.offset[0];
    const parts = [this.preambleBytes, c.tsSec, c.tsNsec, c.origLen, c.capLen, c.offset, c.linkType, ring.span(a, b)];
    const chunk = Math.floor(a / CHUNK) - this.firstChunk;
    const at = this.written;
    if (!this.write(parts)) return false;
    this.chunks[chunk].starts.push(a & (CHUNK - 1));
    this.chunks[chunk].offsets.push(at);
    this.count = b;
    return true;
  }

  /**
   * Opens the next chunk of the index: in a new file when this one is full (the oldest file going
   * when there are SEGMENTS), and forgetting the oldest chunk past maxChunks.
   */
  private startChunk(): void {
    if (this.written >= this.segmentBytes) {
      // A file none of whose chunks is still held (maxChunks dropped them all) goes at once.
      if (this.segOf.at(-1) === this.seg) this.closedSegments.set(this.seg, this.fd);
      else closeQuietly(this.fd);
      this.seg++;
      this.fd = -1;
      this.written = 0;
      while (this.closedSegments.size >= SEGMENTS && this.chunks.length > 0) this.dropOldestChunk();
    }
    this.chunks.push({ starts: [], offsets: [] });
    this.segOf.push(this.seg);
    while (this.chunks.length > this.maxChunks) this.dropOldestChunk();
  }

  private dropOldestChunk(): void {
    this.chunks.shift();
    const seg = this.segOf.shift()!;
    this.firstChunk++;
    this.start = this.firstChunk * CHUNK;
    if (seg === this.seg || this.segOf[0] === seg) return;
    closeQuietly(this.closedSegments.get(seg) ?? -1);
    this.closedSegments.delete(seg);
  }

  /** A spilled frame read back, or undefined when it is not held (never spilled, or the spill failed). */
  read(index: number): SpilledFrame | undefined {
    if (index < this.start || index >= this.count) return undefined;
    const chunk = Math.floor(index / CHUNK) - this.firstChunk;
    const seg = this.segOf[chunk];
    const fd = seg === this.seg ? this.fd : this.closedSegments.get(seg)!;
    try {
      const p = this.pieceAt(fd, seg, pieceOffset(this.chunks[chunk], index & (CHUNK - 1)));
      const k = index - p.first;
      const bytes = readAt(fd, new Uint8Array(p.capLen[k]), p.dataAt + p.offset[k] - p.base);
      return new SpilledFrame(p.tsSec[k], p.tsNsec[k], p.origLen[k], p.linkType[k], bytes);
    } catch (e) {
      this.fail(e);
      return undefined;
    }
  }

  private pieceAt(fd: number, seg: number, at: number): Piece {
    if (this.piece !== undefined && this.piece.seg === seg && this.piece.at === at) return this.piece;
    const pre = readAt(fd, new Uint8Array(PREAMBLE), at);
    const first = new Float64Array(pre.buffer, 0, 1)[0];
    const [n, base] = new Uint32Array(pre.buffer, 8, 2);
    const cols = readAt(fd, new Uint8Array(n * COLUMN_BYTES), at + PREAMBLE).buffer;
    this.piece = {
      seg, at, first, base,
      dataAt: at + PREAMBLE + n * COLUMN_BYTES,
      tsSec: new Float64Array(cols, 0, n),
      tsNsec: new Uint32Array(cols, 8 * n, n),
      origLen: new Uint32Array(cols, 12 * n, n),
      capLen: new Uint32Array(cols, 16 * n, n),
      offset: new Uint32Array(cols, 20 * n, n),
      linkType: new Uint16Array(cols, 24 * n, n),
    };
    return this.piece;
  }

  /** Closes and removes the spill folder. */
  dispose(): void {
    this.release();
    this.count = 0;
    this.error ??= 'closed';
  }

  /** Appends to the current file; false (and the spill stopped) when that failed. */
  private write(parts: NodeJS.ArrayBufferView[]): boolean {
    try {
      this.dir ??= mkdtempSync(join(this.parent, 'bridgescope-spill-'));
      if (this.fd < 0) {
        const file = join(this.dir, `frames-${this.seg}.bin`);
        this.fd = openSync(file, 'w+', 0o600);
        // Unlinked at once: the space comes back when the descriptor closes, even if the process is killed.
        unlinkSync(file);
      }
      let done = writevSync(this.fd, parts, this.written);
      // A short write (rare on a file) is finished part by part.
      let skip = done;
      for (const part of parts) {
        const bytes = new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
        let from = Math.min(skip, bytes.length);
        skip -= from;
        while (from < bytes.length) {
          const n = writeSync(this.fd, bytes, from, bytes.length - from, this.written + done);
          from += n;
          done += n;
        }
      }
      this.written += done;
    } catch (e) {
      this.fail(e);
      return false;
    }
    return true;
  }

  private fail(e: unknown): void {
    const err = e as NodeJS.ErrnoException;
    this.error = err.message ?? String(e);
    this.release();
    this.count = 0;
    this.start = 0;
    this.chunks = [];
    this.piece = undefined;
    this.segOf.length = 0;
  }

  private release(): void {
    closeQuietly(this.fd);
    this.fd = -1;
    for (const fd of this.closedSegments.values()) closeQuietly(fd);
    this.closedSegments.clear();
    try {
      if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
    } catch {
      // A folder that cannot be removed must not take the UI down; it is in the temp folder.
    }
    this.dir = undefined;
  }
}

/** File offset of the piece holding frame `k` of a chunk (the last piece starting at or before it). */
function pieceOffset(c: ChunkIndex, k: number): number {
  let lo = 0;
  let hi = c.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (c.starts[mid] <= k) lo = mid;
    else hi = mid - 1;
  }
  return c.offsets[lo];
}

/** Fills `buf` from `fd` at `at`. */
function readAt(fd: number, buf: Uint8Array, at: number): Uint8Array {
  let got = 0;
  while (got < buf.length) {
    const n = readSync(fd, buf, got, buf.length - got, at + got);
    if (n === 0) throw new Error(`spill file ends at ${at + got}, record needs ${at + buf.length}`);
    got += n;
  }
  return buf;
}

/** Closes a descriptor that may already be unusable (removing the folder is what matters). */
function closeQuietly(fd: number): void {
  if (fd < 0) return;
  try {
    closeSync(fd);
  } catch {
    // Already unusable.
  }
}
