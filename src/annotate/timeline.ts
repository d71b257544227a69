/**
 * A map whose values hold over time: each key keeps the intervals [from, to) in which it named an
 * endpoint, so a frame is named as the topology was when it was seen. Keys are the wire numbers
 * of the Resolver contract (IPv4 as uint32, MAC as a 48-bit integer, ifindex).
 *
 * Lookups are the per-frame cost of names, so the key's newest interval sits in an
 * open-addressing table of its own (linear probing), as columns: key, from and to in Float64Arrays
 * beside the value. A frame inside it is named with a hash, a probe or two and two comparisons of
 * doubles read straight from the columns: no Map lookup, no interval object (whose number fields
 * V8 keeps boxed) and no allocation. Older intervals (containers that came and went, rare next to
 * frames) stay in per-key lists.
 */
interface Interval<V> {
  from: number;
  to: number;
  value: V;
}

const MIN_BUCKETS = 16;

function mix(key: number): number {
  let h = Math.imul(key >>> 0, 0x85ebca6b) ^ Math.imul((key / 4294967296) | 0, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x7feb352d);
  return h ^ (h >>> 16);
}

export class Timeline<V> {
  private readonly byKey = new Map<number, Interval<V>[]>();
  /** Open addressing over the keys ever opened (never removed: a closed key keeps its history). */
  private keys = new Float64Array(MIN_BUCKETS);
  /** The newest interval of the key in each bucket; `values[i]` undefined: an empty bucket. */
  private from = new Float64Array(MIN_BUCKETS);
  private to = new Float64Array(MIN_BUCKETS);
  private values: (V | undefined)[] = new Array<V | undefined>(MIN_BUCKETS).fill(undefined);
  private mask = MIN_BUCKETS - 1;
  private count = 0;

  /** Opens `value` for `key` from `at` (seconds), closing whatever the key held before. */
  open(key: number, value: V, at: number): void {
    let list = this.byKey.get(key);
    if (!list) this.byKey.set(key, (list = []));
    const last = list[list.length - 1];
    if (last && last.to > at) last.to = at;
    const iv = { from: at, to: Infinity, value };
    list.push(iv);
    this.setNewest(key, iv);
  }

  /** Ends `key`'s current value at `at` if it is still `value` (someone else may own it now). */
  close(key: number, value: V, at: number): void {
    const last = this.byKey.get(key)?.at(-1);
    if (last && last.value === value && last.to > at) {
      last.to = at;
      this.setNewest(key, last);
    }
  }

  /** The value at time `at`; without `at`, the current one (none if it was closed). */
  get(key: number, at?: number): V | undefined {
    const keys = this.keys;
    const m = this.mask;
    for (let i = mix(key) & m; ; i = (i + 1) & m) {
      const v = this.values[i];
      if (v === undefined) return undefined;
      if (keys[i] !== key) continue;
      if (at === undefined) return this.to[i] === Infinity ? v : undefined;
      if (this.from[i] <= at && at < this.to[i]) return v;
      return this.older(key, at);
    }
  }

  /** A time before the key's newest interval (or after it closed): the history, newest first. */
  private older(key: number, at: number): V | undefined {
    const list = this.byKey.get(key)!;
    for (let i = list.length - 2; i >= 0; i--) {
      const iv = list[i];
      if (iv.from <= at && at < iv.to) return iv.value;
    }
    return undefined;
  }

  /** Puts (or refreshes) `iv` as `key`'s newest interval in the table. */
  private setNewest(key: number, iv: Interval<V>): void {
    const m = this.mask;
    for (let i = mix(key) & m; ; i = (i + 1) & m) {
      const empty = this.values[i] === undefined;
      if (empty || this.keys[i] === key) {
        this.keys[i] = key;
        this.from[i] = iv.from;
        this.to[i] = iv.to;
        this.values[i] = iv.value;
        if (empty && 2 * ++this.count > m + 1) this.grow();
        return;
      }
    }
  }

  private grow(): void {
    const n = 2 * (this.mask + 1);
    this.keys = new Float64Array(n);
    this.from = new Float64Array(n);
    this.to = new Float64Array(n);
    this.values = new Array<V | undefined>(n).fill(undefined);
    this.mask = n - 1;
    this.count = 0;
    for (const [key, list] of this.byKey) this.setNewest(key, list[list.length - 1]);
  }
}
