import type { ByteInput } from './byte-input.js';
import { MAX_FRAME_BYTES } from './record-parser.js';

/**
 * Room kept in front of each read so the unconsumed tail of the previous chunk (a record cut by
 * the chunk boundary: at most one frame plus its header) can be put right before the new bytes.
 */
const RESERVE = MAX_FRAME_BYTES + 4096;

/**
 * The reader's bytes: `[start, end)` of `buf` are file bytes `[base+start, base+end)` not yet
 * consumed. Batches handed to the consumer point into `buf`, so `fill` (which moves and overwrites
 * bytes) may only run once the consumer has asked for the next batch: that is the FrameBatch
 * lifetime contract.
 *
 * `buf` has two halves that take turns: while the consumer decodes the batch in one, the next
 * chunk is already being read into the other (one chunk of read-ahead, so backpressure still
 * holds). Measured on a replay, about a fifth of the wall time was the event loop waiting for each
 * read in turn. The halves share one array so every batch has the same arena: the decoder stores
 * an arena in its views only when it changes, and a store first met after the optimiser compiled
 * the decoder (at the first swap of two arrays) threw that code away.
 */
export class ChunkWindow {
  buf: Uint8Array;
  view: DataView;
  start = 0;
  end = 0;
  /** File offset of buf[0]. */
  base = 0;
  eof = false;
  /** Where the current half begins in `buf`. */
  private half = 0;
  private ahead: Promise<number> | null = null;
  /** File offset the read-ahead started at (it lands at RESERVE into the other half). */
  private aheadAt = 0;

  constructor(
    private readonly input: ByteInput,
    chunkBytes: number,
  ) {
    this.buf = new Uint8Array(2 * (RESERVE + chunkBytes));
    this.view = new DataView(this.buf.buffer);
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
   * larger than a half. Returns false when the input ends first.
   */
  async fill(need: number): Promise<boolean> {
    if (this.available >= need) return true;
    if (this.ahead) await this.takeReadAhead();
    if (this.available < need) await this.readDirect(need);
    if (!this.eof && !this.ahead) this.startReadAhead();
    return this.available >= need;
  }

  private get halfLength(): number {
    return this.buf.length / 2;
  }

  private get otherHalf(): number {
    return this.half === 0 ? this.halfLength : 0;
  }

  /** Puts the tail before the chunk read ahead and makes that half current. */
  private async takeReadAhead(): Promise<void> {
    const n = await this.ahead!;
    this.ahead = null;
    if (n === 0) {
      this.eof = true;
      return;
    }
    const landed = this.otherHalf + RESERVE;
    const tail = this.available;
    if (tail > RESERVE) {
      // A tail larger than the reserve (a block past the frame limit): append the chunk to it.
      const from = this.buf;
      this.compact(tail + n);
      this.buf.set(from.subarray(landed, landed + n), this.end);
      this.end += n;
      return;
    }
    this.buf.copyWithin(landed - tail, this.start, this.end);
    this.half = this.otherHalf;
    this.base = this.aheadAt - landed;
    this.start = landed - tail;
    this.end = landed + n;
  }

  private async readDirect(need: number): Promise<void> {
    this.compact(need);
    const limit = this.half + this.halfLength;
    while (this.available < need && !this.eof) {
      const n = await this.input.read(this.buf, this.end, limit - this.end);
      if (n === 0) this.eof = true;
      this.end += n;
    }
  }

  /** Moves the unconsumed bytes to the front of the current half, growing both halves to hold `need` bytes. */
  private compact(need: number): void {
    const h = this.half;
    if (this.start > h) {
      this.buf.copyWithin(h, this.start, this.end);
      this.base += this.start - h;
      this.end -= this.start - h;
      this.start = h;
    }
    if (need > this.halfLength) {
      const grown = new Uint8Array(2 * Math.max(need, this.halfLength * 2));
      grown.set(this.buf.subarray(h, this.end));
      this.base += h;
      this.end -= h;
      this.start = 0;
      this.half = 0;
      this.buf = grown;
      this.view = new DataView(grown.buffer);
    }
  }

  private startReadAhead(): void {
    this.aheadAt = this.base + this.end;
    const at = this.otherHalf + RESERVE;
    const ahead = this.input.read(this.buf, at, this.halfLength - RESERVE);
    // The source may be closed before anyone awaits this read; its failure must not go unhandled.
    ahead.catch(() => undefined);
    this.ahead = ahead;
  }
}
