import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_GAP, type EvictionSink, type FrameRing } from './frame-ring.js';

export interface FrameSpillOptions {
  /** Parent of the private spill folder (default os.tmpdir()). */
  dir?: string;
  /** Frames leave the ring in runs of about this many bytes, each appended at once (default 1 MiB). */
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
 * A run of frames is appended as their headers, one per frame, then the run's bytes as the ring
 * holds them (MAX_GAP bytes at most between two frames). Header: tsSec f64, tsNsec u32, origLen
 * u32, capLen u32, linkType u16, 2 bytes padding, and where the frame's bytes start, counted from
 * the header (u32).
 */
const HEADER = 28;
/**
 * The index stores each header's file offset as a u32 relative to its chunk's first one, so a
 * chunk's runs must span less than 4 GiB: 8,192 frames of up to about 512 KiB each.
 */
const CHUNK = 8192;
const MAX_RECORD = 2 ** 32 / CHUNK;

/** One frame read back from the spill file: fresh copies the caller may keep. */
export class SpilledFrame {
  constructor(
    private readonly header: Buffer,
    readonly bytes: Uint8Array,
  ) {}
  get tsSec(): number {
    return this.header.readDoubleLE(0);
  }
  get tsNsec(): number {
    return this.header.readUInt32LE(8);
  }
  get origLen(): number {
    return this.header.readUInt32LE(12);
  }
  get linkType(): number {
    return this.header.readUInt16LE(20);
  }
}

/**
 * Frames evicted from the ring, kept on disk: the ring hands each run of leaving frames to
 * `evicted`, which appends it to a file in a private mkdtemp folder straight from the ring's
 * arena, behind a block of headers (created at the first write, removed by `dispose`; each file
 * is unlinked as soon as it is open, so a killed process leaves at most the empty folder behind).
 * The spill holds frames [start, count), the newest `maxFrames` and `maxBytes` at most: the
 * in-memory index is 4 bytes per frame held (chunked Uint32Arrays, reused as the oldest go, no
 * object per frame: 16 MiB by default) plus one chunk's header block (224 KiB), and the disk holds
 * at most `maxBytes` in SEGMENTS files, the oldest removed whole as a new one starts. However long
 * a capture runs, memory and disk stay within those bounds.
 *
 * A failed write or read (disk full, folder removed) is not thrown: the spill stops, deletes its
 * files, forgets every spilled frame (`count` drops to 0) and keeps the reason in `error`.
 */
export class FrameSpill implements EvictionSink {
  readonly runBytes: number;
  private readonly parent: string;
  /** A run's header block, built here before it is written (made at the first run). */
  private headers: Buffer | undefined;
  private headerView: DataView = new DataView(new ArrayBuffer(0));
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
  /** Per chunk held (chunk number firstChunk + k): offsets of its headers, its first header's offset, its file. */
  private chunks: Uint32Array[] = [];
  private readonly bases: number[] = [];
  private readonly segOf: number[] = [];
  /** The last chunk dropped, for the next one to reuse (the index makes no garbage). */
  private spare: Uint32Array | undefined;
  private firstChunk = 0;
  /** Frames held: indices [start, count). */
  start = 0;
  count = 0;
  error: string | undefined;

  constructor(maxFrameBytes: number, opts: FrameSpillOptions = {}) {
    if (HEADER + MAX_GAP + maxFrameBytes > MAX_RECORD) throw new RangeError(`spill records are limited to ${MAX_RECORD - HEADER - MAX_GAP} frame bytes`);
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
    let n = this.bases.length * 16;
    for (const c of this.chunks) n += c.byteLength;
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

  /** Appends frames [a, b) of one chunk: their headers, then their bytes from the ring. */
  private append(ring: FrameRing, a: number, b: number): boolean {
    if (this.headers === undefined) {
      this.headers = Buffer.allocUnsafe(HEADER * CHUNK);
      this.headerView = new DataView(this.headers.buffer, this.headers.byteOffset, this.headers.length);
    }
    const v = this.headerView;
    const head = (b - a) * HEADER;
    const base = ring.offsetOf(a);
    const chunk = Math.floor(a / CHUNK) - this.firstChunk;
    const index = this.chunks[chunk];
    const rel = this.written - this.bases[chunk];
    for (let i = a, at = 0; i < b; i++, at += HEADER) {
      v.setFloat64(at, ring.tsSecOf(i), true);
      v.setUint32(at + 8, ring.tsNsecOf(i), true);
      v.setUint32(at + 12, ring.origLenOf(i), true);
      v.setUint32(at + 16, ring.capLenOf(i), true);
      v.setUint16(at + 20, ring.linkTypeOf(i), true);
      v.setUint16(at + 22, 0, true);
      v.setUint32(at + 24, head - at + ring.offsetOf(i) - base, true);
      index[i & (CHUNK - 1)] = rel + at;
    }
    if (!this.write(this.headers.subarray(0, head)) || !this.write(ring.span(a, b))) return false;
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
    this.chunks.push(this.spare ?? new Uint32Array(CHUNK));
    this.spare = undefined;
    this.bases.push(this.written);
    this.segOf.push(this.seg);
    while (this.chunks.length > this.maxChunks) this.dropOldestChunk();
  }

  private dropOldestChunk(): void {
    this.spare = this.chunks.shift();
    this.bases.shift();
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
    const at = this.bases[chunk] + this.chunks[chunk][index & (CHUNK - 1)];
    try {
      const header = readAt(fd, Buffer.allocUnsafe(HEADER), at);
      return new SpilledFrame(header, readAt(fd, Buffer.allocUnsafe(header.readUInt32LE(16)), at + header.readUInt32LE(24)));
    } catch (e) {
      this.fail(e);
      return undefined;
    }
  }

  /** Closes and removes the spill folder. */
  dispose(): void {
    this.release();
    this.count = 0;
    this.error ??= 'closed';
  }

  /** Appends to the current file; false (and the spill stopped) when that failed. */
  private write(bytes: Uint8Array): boolean {
    try {
      this.dir ??= mkdtempSync(join(this.parent, 'bridgescope-spill-'));
      if (this.fd < 0) {
        const file = join(this.dir, `frames-${this.seg}.bin`);
        this.fd = openSync(file, 'w+', 0o600);
        // Unlinked at once: the space comes back when the descriptor closes, even if the process is killed.
        unlinkSync(file);
      }
      let done = 0;
      while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done, this.written + done);
    } catch (e) {
      this.fail(e);
      return false;
    }
    this.written += bytes.length;
    return true;
  }

  private fail(e: unknown): void {
    const err = e as NodeJS.ErrnoException;
    this.error = err.message ?? String(e);
    this.release();
    this.count = 0;
    this.start = 0;
    this.chunks = [];
    this.spare = undefined;
    this.bases.length = 0;
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

/** Fills `buf` from `fd` at `at`. */
function readAt(fd: number, buf: Buffer, at: number): Buffer {
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
