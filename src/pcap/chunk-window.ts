import type { ByteInput } from './byte-input.js';

/**
 * The one buffer a file reader owns: bytes `[start, end)` of `buf` are file bytes `[base+start,
 * base+end)` not yet consumed. Batches handed to the consumer point into `buf`, so `fill` (which
 * moves and overwrites bytes) may only run once the consumer has asked for the next batch: that
 * is the FrameBatch lifetime contract, and it is why one buffer is enough.
 */
export class ChunkWindow {
  buf: Uint8Array;
  view: DataView;
  start = 0;
  end = 0;
  /** File offset of buf[0]. */
  base = 0;
  eof = false;

  constructor(
    private readonly input: ByteInput,
    chunkBytes: number,
  ) {
    this.buf = new Uint8Array(chunkBytes);
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
   * Makes at least `need` bytes available from `start`, moving the unconsumed tail to the front and
   * growing the buffer when one record is larger than it. Returns false when the input ends first.
   */
  async fill(need: number): Promise<boolean> {
    if (this.available >= need) return true;
    if (this.start > 0) {
      this.buf.copyWithin(0, this.start, this.end);
      this.base += this.start;
      this.end -= this.start;
      this.start = 0;
    }
    if (need > this.buf.length) {
      const grown = new Uint8Array(Math.max(need, this.buf.length * 2));
      grown.set(this.buf.subarray(0, this.end));
      this.buf = grown;
      this.view = new DataView(grown.buffer);
    }
    while (this.end < need && !this.eof) {
      const n = await this.input.read(this.buf, this.end, this.buf.length - this.end);
      if (n === 0) this.eof = true;
      this.end += n;
    }
    return this.end >= need;
  }
}
