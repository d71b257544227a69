import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EvictionSink } from './frame-ring.js';

export interface FrameSpillOptions {
  /** Parent of the private spill folder (default os.tmpdir()). */
  dir?: string;
  /** Records are gathered in memory and appended in writes of this many bytes (default 1 MiB). */
  batchBytes?: number;
  /** Most frames kept (default 4,194,304: 16 MiB of index); the oldest go first, 8,192 at a time. */
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
 * Record layout in the spill file, one per frame, appended in index order: tsSec f64, tsNsec u32,
 * origLen u32, capLen u32, linkType u16, 2 bytes padding, then capLen bytes of frame data.
 */
const HEADER = 24;
/**
 * The index stores each record's file offset as a u32 relative to its chunk's first record, so a
 * chunk's records must span less than 4 GiB: 8,192 frames of up to 512 KiB each.
 */
const CHUNK = 8192;
const MAX_RECORD = 2 ** 32 / CHUNK;

/**
 * Copies `len` bytes four at a time through DataViews: for the small frames that dominate, this
 * beats Buffer.copy's native call and makes no subarray view per frame.
 */
function copyBytes(from: DataView, at: number, to: DataView, dest: number, len: number): void {
  let k = 0;
  for (; k + 4 <= len; k += 4) to.setUint32(dest + k, from.getUint32(at + k));
  for (; k < len; k++) to.setUint8(dest + k, from.getUint8(at + k));
}

/** One frame read back from the spill file: a fresh copy the caller may keep. */
export class SpilledFrame {
  constructor(private readonly record: Buffer) {}
  get tsSec(): number {
    return this.record.length >= HEADER ? this.record.readDoubleLE(0) : 0;
  }
  get tsNsec(): number {
    return this.record.length >= HEADER ? this.record.readUInt32LE(8) : 0;
  }
  get origLen(): number {
    return this.record.length >= HEADER ? this.record.readUInt32LE(12) : 0;
  }
  get linkType(): number {
    return this.record.length >= HEADER ? this.record.readUInt16LE(20) : 1;
  }
  get bytes(): Uint8Array {
    return this.record.subarray(Math.min(HEADER, this.record.length));
  }
}

/**
 * Frames evicted from the ring, kept on disk: the ring hands each leaving frame to `evicted`, which
 * copies it into a batch buffer appended to a file in a private mkdtemp folder (created at the first
 * write, removed by `dispose`; each file is unlinked as soon as it is open, so a killed process
 * leaves at most the empty folder behind). The spill holds frames [start, count), the newest
 * `maxFrames` and `maxBytes` at most: the in-memory index is 4 bytes per frame held (chunked
 * Uint32Arrays, no object per frame, 16 MiB by default) plus one batch buffer, and the disk holds
 * at most `maxBytes` in SEGMENTS files, the oldest removed whole as a new one starts. However
 * long a capture runs, memory and disk stay within those bounds.
 *
 * A failed write or read (disk full, folder removed) is not thrown: the spill stops, deletes its
 * files, forgets every spilled frame (`count` drops to 0) and keeps the reason in `error`.
 */
export class FrameSpill implements EvictionSink {
  /** The ring arena last copied from, and a view of it (rebuilt when the ring's arena grows). */
  private arena: Uint8Array | undefined;
  private arenaView: DataView = new DataView(new ArrayBuffer(0));
  private readonly parent: string;
  private readonly batch: Buffer;
  private readonly view: DataView;
  private batchLen = 0;
  private dir: string | undefined;
  /** The file being appended to (segment `seg`); -1 until the first write. */
  private fd = -1;
  private seg = 0;
  /** Bytes written to the current file; its records at or past this offset are still in `batch`. */
  private written = 0;
  /** Earlier files still holding frames, by segment number: descriptor and length. */
  private readonly closedSegments = new Map<number, { fd: number; end: number }>();
  private readonly segmentBytes: number;
  private readonly maxChunks: number;
  /** Per chunk held (chunk number firstChunk + k): offsets of its records, its first record's offset, its file. */
  private chunks: Uint32Array[] = [];
  private readonly bases: number[] = [];
  private readonly segOf: number[] = [];
  private firstChunk = 0;
  /** Frames held: indices [start, count). */
  start = 0;
  count = 0;
  error: string | undefined;

  constructor(maxFrameBytes: number, opts: FrameSpillOptions = {}) {
    if (HEADER + maxFrameBytes > MAX_RECORD) throw new RangeError(`spill records are limited to ${MAX_RECORD - HEADER} frame bytes`);
    this.parent = opts.dir ?? tmpdir();
    this.batch = Buffer.allocUnsafe(Math.max(opts.batchBytes ?? 1 << 20, HEADER + maxFrameBytes));
    this.view = new DataView(this.batch.buffer, this.batch.byteOffset, this.batch.length);
    this.segmentBytes = Math.max(this.batch.length, Math.floor((opts.maxBytes ?? DEFAULT_SPILL_BYTES) / SEGMENTS));
    this.maxChunks = Math.max(2, Math.ceil((opts.maxFrames ?? DEFAULT_SPILL_FRAMES) / CHUNK));
  }

  /** The spill folder, once the first batch has been written. */
  get path(): string | undefined {
    return this.dir;
  }

  /** Memory the offset index takes now (bytes). */
  get indexBytes(): number {
    let n = this.bases.length * 16;
    for (const c of this.chunks) n += c.byteLength;
    return n;
  }

  evicted(index: number, arena: Uint8Array, offset: number, len: number, origLen: number, tsSec: number, tsNsec: number, linkType: number): void {
    // Spilled frames must stay contiguous: once stopped, or if frames were missed, stop.
    if (this.error !== undefined || index !== this.count) return;
    if (arena !== this.arena) {
      this.arena = arena;
      this.arenaView = new DataView(arena.buffer, arena.byteOffset, arena.length);
    }
    // A new chunk first: it may start a new file, and the record must go to the file its chunk is in.
    if (Math.floor(index / CHUNK) - this.firstChunk === this.chunks.length && !this.startChunk()) return;
    if (this.batchLen + HEADER + len > this.batch.length && !this.flush()) return;
    const at = this.batchLen;
    const v = this.view;
    v.setFloat64(at, tsSec, true);
    v.setUint32(at + 8, tsNsec, true);
    v.setUint32(at + 12, origLen, true);
    v.setUint32(at + 16, len, true);
    v.setUint16(at + 20, linkType, true);
    v.setUint16(at + 22, 0, true);
    copyBytes(this.arenaView, offset, v, at + HEADER, len);
    const chunk = Math.floor(index / CHUNK) - this.firstChunk;
    this.chunks[chunk][index & (CHUNK - 1)] = this.written + at - this.bases[chunk];
    this.batchLen = at + HEADER + len;
    this.count++;
  }

  /**
   * Opens the next chunk of the index: in a new file when this one is full (the oldest file going
   * when there are SEGMENTS), and forgetting the oldest chunk past maxChunks. False when the spill
   * has just stopped (a write failed).
   */
  private startChunk(): boolean {
    if (this.written + this.batchLen >= this.segmentBytes) {
      if (!this.flush()) return false;
      // A file none of whose chunks is still held (maxChunks dropped them all) goes at once.
      if (this.segOf.at(-1) === this.seg) this.closedSegments.set(this.seg, { fd: this.fd, end: this.written });
      else closeQuietly(this.fd);
      this.seg++;
      this.fd = -1;
      this.written = 0;
      while (this.closedSegments.size >= SEGMENTS && this.chunks.length > 0) this.dropOldestChunk();
    }
    this.chunks.push(new Uint32Array(CHUNK));
    this.bases.push(this.written + this.batchLen);
    this.segOf.push(this.seg);
    while (this.chunks.length > this.maxChunks) this.dropOldestChunk();
    return true;
  }

  private dropOldestChunk(): void {
    this.chunks.shift();
    this.bases.shift();
    const seg = this.segOf.shift()!;
    this.firstChunk++;
    this.start = this.firstChunk * CHUNK;
    if (seg === this.seg || this.segOf[0] === seg) return;
    closeQuietly(this.closedSegments.get(seg)?.fd ?? -1);
    this.closedSegments.delete(seg);
  }

  /** A spilled frame read back, or undefined when it is not held (never spilled, or the spill failed). */
  read(index: number): SpilledFrame | undefined {
    if (index < this.start || index >= this.count) return undefined;
    const seg = this.segOf[Math.floor(index / CHUNK) - this.firstChunk];
    const current = seg === this.seg;
    const start = this.offsetOf(index);
    const sameFile = index + 1 < this.count && this.segOf[Math.floor((index + 1) / CHUNK) - this.firstChunk] === seg;
    const end = sameFile ? this.offsetOf(index + 1) : current ? this.written + this.batchLen : this.closedSegments.get(seg)!.end;
    const record = Buffer.allocUnsafe(end - start);
    if (current && start >= this.written) {
      this.batch.copy(record, 0, start - this.written, end - this.written);
      return new SpilledFrame(record);
    }
    const fd = current ? this.fd : this.closedSegments.get(seg)!.fd;
    try {
      let got = 0;
      while (got < record.length) {
        const n = readSync(fd, record, got, record.length - got, start + got);
        if (n === 0) throw new Error(`spill file ends at ${start + got}, record needs ${end}`);
        got += n;
      }
    } catch (e) {
      this.fail(e);
      return undefined;
    }
    return new SpilledFrame(record);
  }

  /** Closes and removes the spill folder. */
  dispose(): void {
    this.release();
    this.count = 0;
    this.error ??= 'closed';
  }

  private offsetOf(index: number): number {
    const chunk = Math.floor(index / CHUNK) - this.firstChunk;
    return this.bases[chunk] + this.chunks[chunk][index & (CHUNK - 1)];
  }

  /** Appends the batch to the file; false (and the spill stopped) when that failed. */
  private flush(): boolean {
    try {
      this.dir ??= mkdtempSync(join(this.parent, 'bridgescope-spill-'));
      if (this.fd < 0) {
        const file = join(this.dir, `frames-${this.seg}.bin`);
        this.fd = openSync(file, 'w+', 0o600);
        // Unlinked at once: the space comes back when the descriptor closes, even if the process is killed.
        unlinkSync(file);
      }
      let done = 0;
      while (done < this.batchLen) done += writeSync(this.fd, this.batch, done, this.batchLen - done, this.written + done);
    } catch (e) {
      this.fail(e);
      return false;
    }
    this.written += this.batchLen;
    this.batchLen = 0;
    return true;
  }

  private fail(e: unknown): void {
    const err = e as NodeJS.ErrnoException;
    this.error = err.message ?? String(e);
    this.release();
    this.count = 0;
    this.start = 0;
    this.chunks = [];
    this.bases.length = 0;
    this.segOf.length = 0;
    this.batchLen = 0;
  }

  private release(): void {
    closeQuietly(this.fd);
    this.fd = -1;
    for (const { fd } of this.closedSegments.values()) closeQuietly(fd);
    this.closedSegments.clear();
    try {
      if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
    } catch {
      // A folder that cannot be removed must not take the UI down; it is in the temp folder.
    }
    this.dir = undefined;
  }
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
