/**
 * A map whose values hold over time: each key keeps the intervals [from, to) in which it named an
 * endpoint, so a frame is named as the topology was when it was seen. Keys are the wire numbers
 * of the Resolver contract. Lookups are O(1) for the common case (one interval per key, or the
 * newest); history only grows when containers come and go, which is rare next to frames.
 */
interface Interval<V> {
  from: number;
  to: number;
  value: V;
}

export class Timeline<V> {
  private readonly byKey = new Map<number, Interval<V>[]>();

  /** Opens `value` for `key` from `at` (seconds), closing whatever the key held before. */
  open(key: number, value: V, at: number): void {
    let list = this.byKey.get(key);
    if (!list) this.byKey.set(key, (list = []));
    const last = list[list.length - 1];
    if (last && last.to > at) last.to = at;
    list.push({ from: at, to: Infinity, value });
  }

  /** Ends `key`'s current value at `at` if it is still `value` (someone else may own it now). */
  close(key: number, value: V, at: number): void {
    const last = this.byKey.get(key)?.at(-1);
    if (last && last.value === value && last.to > at) last.to = at;
  }

  /** The value at time `at`; without `at`, the current one (none if it was closed). */
  get(key: number, at?: number): V | undefined {
    const list = this.byKey.get(key);
    if (!list) return undefined;
    if (at === undefined) {
      const last = list[list.length - 1];
      return last.to === Infinity ? last.value : undefined;
    }
    for (let i = list.length - 1; i >= 0; i--) {
      const iv = list[i];
      if (iv.from <= at && at < iv.to) return iv.value;
    }
    return undefined;
  }
}
