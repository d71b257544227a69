import { closeSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EvictionSink } from './frame-ring.js';

export interface FrameSpillOptions {
  /** Parent of the private spill folder (default os.tmpdir()). */
  dir?: string;
  /** Records are gathered in memory and appended in writes of this many bytes (default 1 MiB). */
  batchBytes?: number;
}

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
 * write, removed by `dispose`; the file is unlinked as soon as it is open, so a killed process
 * leaves at most the empty folder behind). The spill holds frames [0, count); the in-memory index
 * is 4 bytes per frame (chunked Uint32Arrays, no object per frame) plus one batch buffer.
 *
 * A failed write or read (disk full, folder removed) is not thrown: the spill stops, deletes its
 * file, forgets every spilled frame (`count` drops to 0) and keeps the reason in `error`.
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
  private fd = -1;
  /** Bytes written to the file; records at or past this offset are still in `batch`. */
  private written = 0;
  private readonly bases: number[] = [];
  private chunks: Uint32Array[] = [];
  /** Frames held: indices [0, count). */
  count = 0;
  error: string | undefined;

  constructor(maxFrameBytes: number, opts: FrameSpillOptions = {}) {
    if (HEADER + maxFrameBytes > MAX_RECORD) throw new RangeError(`spill records are limited to ${MAX_RECORD - HEADER} frame bytes`);
    this.parent = opts.dir ?? tmpdir();
    this.batch = Buffer.allocUnsafe(Math.max(opts.batchBytes ?? 1 << 20, HEADER + maxFrameBytes));
    this.view = new DataView(this.batch.buffer, this.batch.byteOffset, this.batch.length);
  }

  /** The spill folder, once the first batch has been written. */
  get path(): string | undefined {
    return this.dir;
  }

  /** Memory the offset index takes now (bytes). */
  get indexBytes(): number {
    let n = this.bases.length * 8;
    for (const c of this.chunks) n += c.byteLength;
    return n;
  }

  evicted(index: number, arena: Uint8Array, offset: number, len: number, origLen: number, tsSec: number, tsNsec: number, linkType: number): void {
    // Spilled frames must stay contiguous from 0: once stopped, or if frames were missed, stop.
    if (this.error !== undefined || index !== this.count) return;
    if (arena !== this.arena) {
      this.arena = arena;
      this.arenaView = new DataView(arena.buffer, arena.byteOffset, arena.length);
    }
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
    const chunk = Math.floor(index / CHUNK);
    const fileAt = this.written + at;
    if (chunk === this.chunks.length) {
      this.chunks.push(new Uint32Array(CHUNK));
      this.bases.push(fileAt);
    }
    this.chunks[chunk][index & (CHUNK - 1)] = fileAt - this.bases[chunk];
    this.batchLen = at + HEADER + len;
    this.count++;
  }

  /** A spilled frame read back, or undefined when it is not held (never spilled, or the spill failed). */
  read(index: number): SpilledFrame | undefined {
    if (index < 0 || index >= this.count) return undefined;
    const start = this.offsetOf(index);
    const end = index + 1 < this.count ? this.offsetOf(index + 1) : this.written + this.batchLen;
    const record = Buffer.allocUnsafe(end - start);
    if (start >= this.written) {
      this.batch.copy(record, 0, start - this.written, end - this.written);
      return new SpilledFrame(record);
    }
    try {
      let got = 0;
      while (got < record.length) {
        const n = readSync(this.fd, record, got, record.length - got, start + got);
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
    const chunk = Math.floor(index / CHUNK);
    return this.bases[chunk] + this.chunks[chunk][index & (CHUNK - 1)];
  }

  /** Appends the batch to the file; false (and the spill stopped) when that failed. */
  private flush(): boolean {
    try {
      if (this.dir === undefined) {
        this.dir = mkdtempSync(join(this.parent, 'bridgescope-spill-'));
        const file = join(this.dir, 'frames.bin');
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
    this.chunks = [];
    this.bases.length = 0;
    this.batchLen = 0;
  }

  private release(): void {
    if (this.fd >= 0) {
      try {
        closeSync(this.fd);
      } catch {
        // Already unusable; removing the folder below is what matters.
      }
      this.fd = -1;
    }
    try {
      if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
    } catch {
      // A folder that cannot be removed must not take the UI down; it is in the temp folder.
    }
    this.dir = undefined;
  }
}
