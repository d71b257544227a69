import type { ByteText } from './byte-text.js';

/**
 * The bytes of one stretch of a line, between two fields that change frame by frame, kept for the
 * last few keys (the numbers the stretch is made from): a flood's lines differ only in counters,
 * so most of a line is a few copies of bytes written once, not a write per key and value. A
 * stretch longer than a way's room is written each time, never kept.
 */
export class ByteStretch {
  /** The key of the stretch about to be written: the caller fills it, then calls `copy`. */
  readonly key: Float64Array;
  private readonly keys: Float64Array;
  /** Every way's bytes in one store (a typed array of its own each would be a 1-3 µs allocation per miss). */
  private readonly store: Uint8Array;
  /** Each way's kept bytes, a view made when kept: copying a whole view is a third of the cost of a part. */
  private readonly views: Uint8Array[];
  private next = 0;

  constructor(private readonly arity: number, private readonly ways = 4, private readonly room = 1024) {
    this.key = new Float64Array(arity);
    // NaN equals nothing: an empty way never matches.
    this.keys = new Float64Array(arity * ways).fill(Number.NaN);
    this.store = new Uint8Array(ways * room);
    this.views = Array.from({ length: ways }, () => this.store.subarray(0, 0));
  }

  /** Writes the bytes kept for `key` and returns true, or returns false: the caller writes the stretch and calls `keep`. */
  copy(o: ByteText): boolean {
    const { key, keys, arity } = this;
    for (let w = 0, base = 0; w < this.ways; w++, base += arity) {
      let j = 0;
      while (j < arity && keys[base + j] === key[j]) j++;
      if (j === arity) {
        o.bytes(this.views[w]);
        return true;
      }
    }
    return false;
  }

  /** Keeps what `o` holds from `from` on as the bytes of `key` (the one `copy` missed), in place of the oldest way. */
  keep(o: ByteText, from: number): void {
    const n = o.length - from;
    if (n > this.room) return;
    const w = this.next;
    this.next = (w + 1) % this.ways;
    const at = w * this.room;
    o.copyTo(from, this.store, at);
    this.views[w] = this.store.subarray(at, at + n);
    this.keys.set(this.key, w * this.arity);
  }
}
