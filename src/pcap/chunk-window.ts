import type { ByteInput } from './byte-input.js';
import { MAX_FRAME_BYTES } from './record-parser.js';

/**
 * Room kept in front of each read so the unconsumed tail of the previous chunk (a record cut by
 * the chunk boundary: at most one frame plus its header) can be put right before the new bytes.
 */
const RESERVE = MAX_FRAME_BYTES + 4096;

/**
 * The reader's bytes: `[start, end)` of `buf` are file bytes `[base+start, base+end)` not yet
 * consumed. Batches handed to the consumer point into `buf`, so `fill` (which moves, swaps and
 * overwrites bytes) may only run once the consumer has asked for the next batch: that is the
 * FrameBatch lifetime contract.
 *
 * Two buffers take turns: while the consumer decodes the batch in one, the next chunk is already
 * being read into the other (one chunk of read-ahead, so backpressure still holds). Measured on a
 * replay, about a fifth of the wall time was the event loop waiting for each read in turn.
 */
export class ChunkWindow {
  buf: Uint8Array;
  view: DataView;
  start = 0;
  end = 0;
  /** File offset of buf[0]. */
  base = 0;
  eof = false;
  private spare: Uint8Array;
  private ahead: Promise<number> | null = null;
  /** File offset the read-ahead started at (it lands at spare[RESERVE]). */
  private aheadAt = 0;

  constructor(
    private readonly input: ByteInput,
    chunkBytes: number,
  ) {
    this.buf = new Uint8Array(RESERVE + chunkBytes);
    this.view = new DataView(this.buf.buffer);
    this.spare = new Uint8Array(RESERVE + chunkBytes);
  }

  get available(): number {
    return this.end - this.start;
  }

  /** File offset of the next unconsumed byte. */
  get position(): number {
    return this.base + this.start;
  }

  /**
   * Makes at least `need` bytes available from `start`, growing the buffer when one record is
   * larger than it. Returns false when the input ends first.
   */
  async fill(need: number): Promise<boolean> {
    if (this.available >= need) return true;
    if (this.ahead) await this.takeReadAhead();
    if (this.available < need) await this.readDirect(need);
    if (!this.eof && !this.ahead) this.startReadAhead();
    return this.available >= need;
  }

  /** Puts the tail before the chunk read ahead and makes that buffer current. */
  private async takeReadAhead(): Promise<void> {
    const n = await this.ahead!;
    this.ahead = null;
    if (n === 0) {
      this.eof = true;
      return;
    }
    const tail = this.available;
    if (tail > RESERVE) {
      // A tail larger than the reserve (a block past the frame limit): append the chunk to it.
      this.compact(tail + n);
      this.buf.set(this.spare.subarray(RESERVE, RESERVE + n), this.end);
      this.end += n;
      return;
    }
    const next = this.spare;
    next.set(this.buf.subarray(this.start, this.end), RESERVE - tail);
    this.spare = this.buf;
    this.setBuffer(next);
    this.base = this.aheadAt - RESERVE;
    this.start = RESERVE - tail;
    this.end = RESERVE + n;
  }

  private async readDirect(need: number): Promise<void> {
    this.compact(need);
    while (this.end < need && !this.eof) {
      const n = await this.input.read(this.buf, this.end, this.buf.length - this.end);
      if (n === 0) this.eof = true;
      this.end += n;
    }
  }

  /** Moves the unconsumed bytes to the front, growing the buffer to hold `need` bytes. */
  private compact(need: number): void {
    if (this.start > 0) {
      this.buf.copyWithin(0, this.start, this.end);
      this.base += this.start;
      this.end -= this.start;
      this.start = 0;
    }
    if (need > this.buf.length) {
      const grown = new Uint8Array(Math.max(need, this.buf.length * 2));
      grown.set(this.buf.subarray(0, this.end));
      this.setBuffer(grown);
    }
  }

  private startReadAhead(): void {
    this.aheadAt = this.base + this.end;
    const ahead = this.input.read(this.spare, RESERVE, this.spare.length - RESERVE);
    // The source may be closed before anyone awaits this read; its failure must not go unhandled.
    ahead.catch(() => undefined);
    this.ahead = ahead;
  }

  private setBuffer(b: Uint8Array): void {
    this.buf = b;
    this.view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
}
