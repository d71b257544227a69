/** Int32s per bucket: key1, key2, value + 1 (0 = empty), home bucket. 16 bytes, 4 buckets a cache line. */
const STRIDE = 4;
/** Keys that differ only in the low RUN_BITS of key2 share a run of buckets, one cache line (see `home`). */
const RUN_BITS = 2;
const MIN_BUCKETS = 64;

/**
 * Open-addressing map from a key of two uint32 numbers to a non-negative int (a slot), in one
 * Int32Array: linear probing, backward-shift deletion (no tombstones), keys kept in the buckets so
 * a probe reads one cache line and never the table the values point into. At most half full.
 *
 * Locality: a key's home bucket is a hash of (key1, key2 without its low RUN_BITS) plus those low
 * bits, so keys counting up in key2 (echo sequence numbers, neighbouring addresses) land side by
 * side: a flood's inserts, lookups and deletions walk the table as streams instead of touching a
 * random cache line each. Runs of different keys are still spread by the hash.
 *
 * `get` remembers where it looked, so the `set` of the same key that usually follows (a request
 * that was not a duplicate) does not probe again.
 */
export class KeyIndex {
  private table = new Int32Array(MIN_BUCKETS * STRIDE);
  private mask = MIN_BUCKETS - 1;
  private count = 0;
  /** Bucket `get` ended on for (memoK1, memoK2), or -1; any other change of the table clears it. */
  private memo = -1;
  private memoK1 = 0;
  private memoK2 = 0;

  get size(): number {
    return this.count;
  }

  /** Buckets allocated (twice the most entries held, at least). */
  get buckets(): number {
    return this.mask + 1;
  }

  get(k1: number, k2: number): number {
    const i = this.probe(k1, k2);
    this.memo = i;
    this.memoK1 = k1;
    this.memoK2 = k2;
    return this.table[i * STRIDE + 2] - 1;
  }

  /** Maps the key to `value`; returns the value it mapped to before, or -1. */
  set(k1: number, k2: number, value: number): number {
    const i = this.memo >= 0 && this.memoK1 === k1 && this.memoK2 === k2 ? this.memo : this.probe(k1, k2);
    const o = i * STRIDE;
    const t = this.table;
    const old = t[o + 2] - 1;
    t[o + 2] = value + 1;
    if (old >= 0) return old;
    t[o] = k1 | 0;
    t[o + 1] = k2 | 0;
    t[o + 3] = this.home(k1, k2);
    this.memo = -1;
    if (2 * ++this.count > this.mask + 1) this.resize(2 * (this.mask + 1));
    return -1;
  }

  /** Removes the key if it still maps to `value` (a newer value may have taken it over). */
  delete(k1: number, k2: number, value: number): void {
    let i = this.probe(k1, k2);
    const t = this.table;
    if (t[i * STRIDE + 2] !== value + 1) return;
    this.memo = -1;
    this.count--;
    const m = this.mask;
    // Backward shift: pull later buckets of the probe run into the hole unless their home lies
    // cyclically in (hole, position], where they must stay.
    for (let j = (i + 1) & m; ; j = (j + 1) & m) {
      const o = j * STRIDE;
      if (t[o + 2] === 0) break;
      const h = t[o + 3];
      const stays = i <= j ? i < h && h <= j : i < h || h <= j;
      if (!stays) {
        const to = i * STRIDE;
        t[to] = t[o];
        t[to + 1] = t[o + 1];
        t[to + 2] = t[o + 2];
        t[to + 3] = h;
        i = j;
      }
    }
    t[i * STRIDE + 2] = 0;
  }

  clear(): void {
    this.table.fill(0);
    this.count = 0;
    this.memo = -1;
  }

  /** The bucket holding (k1, k2), or the empty bucket where it would go. */
  private probe(k1: number, k2: number): number {
    const t = this.table;
    const m = this.mask;
    const a = k1 | 0;
    const b = k2 | 0;
    for (let i = this.home(k1, k2); ; i = (i + 1) & m) {
      const o = i * STRIDE;
      if (t[o + 2] === 0 || (t[o] === a && t[o + 1] === b)) return i;
    }
  }

  private home(k1: number, k2: number): number {
    let h = Math.imul(k1, 0x85ebca6b) ^ Math.imul(k2 >>> RUN_BITS, 0x9e3779b1);
    h ^= h >>> 16;
    h = Math.imul(h, 0x7feb352d);
    h ^= h >>> 15;
    return ((h << RUN_BITS) | (k2 & ((1 << RUN_BITS) - 1))) & this.mask;
  }

  private resize(buckets: number): void {
    const old = this.table;
    this.table = new Int32Array(buckets * STRIDE);
    this.mask = buckets - 1;
    this.count = 0;
    this.memo = -1;
    for (let o = 0; o < old.length; o += STRIDE) {
      if (old[o + 2] !== 0) this.set(old[o] >>> 0, old[o + 1] >>> 0, old[o + 2] - 1);
    }
  }
}
