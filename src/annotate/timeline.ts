/**
 * A map whose values hold over time: each key keeps the intervals [from, to) in which it named an
 * endpoint, so a frame is named as the topology was when it was seen. Keys are the wire numbers
 * of the Resolver contract (IPv4 as uint32, MAC as a 48-bit integer, ifindex).
 *
 * Lookups are the per-frame cost of names, so the key's newest interval sits in an
 * open-addressing table of its own (keys in a Float64Array, linear probing): a frame inside it is
 * named with a hash, a probe or two and two comparisons, no Map lookup and no allocation. Older
 * intervals (containers that came and went, rare next to frames) stay in per-key lists.
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
  private newest: (Interval<V> | undefined)[] = new Array<Interval<V> | undefined>(MIN_BUCKETS).fill(undefined);
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
    if (last && last.value === value && last.to > at) last.to = at;
  }

  /** The value at time `at`; without `at`, the current one (none if it was closed). */
  get(key: number, at?: number): V | undefined {
    const keys = this.keys;
    const m = this.mask;
    for (let i = mix(key) & m; ; i = (i + 1) & m) {
      const iv = this.newest[i];
      if (iv === undefined) return undefined;
      if (keys[i] !== key) continue;
      if (at === undefined) return iv.to === Infinity ? iv.value : undefined;
      if (iv.from <= at && at < iv.to) return iv.value;
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

  private setNewest(key: number, iv: Interval<V>): void {
    const m = this.mask;
    for (let i = mix(key) & m; ; i = (i + 1) & m) {
      if (this.newest[i] === undefined) {
        this.keys[i] = key;
        this.newest[i] = iv;
        if (2 * ++this.count > m + 1) this.grow();
        return;
      }
      if (this.keys[i] === key) {
        this.newest[i] = iv;
        return;
      }
    }
  }

  private grow(): void {
    const keys = this.keys;
    const newest = this.newest;
    const n = 2 * (this.mask + 1);
    this.keys = new Float64Array(n);
    this.newest = new Array<Interval<V> | undefined>(n).fill(undefined);
    this.mask = n - 1;
    this.count = 0;
    for (let i = 0; i < keys.length; i++) {
      const iv = newest[i];
      if (iv !== undefined) this.setNewest(keys[i], iv);
    }
  }
}
