/** Buckets of a new flow table; tables double when half full, up to LO_BUCKETS. */
const MIN_BUCKETS = 8;
/**
 * One bucket per value of the low 16 bits: every key of a flow then sits in its home bucket, so a
 * table this large is never too full (a flood's sequence space fills it; doubling again at half
 * full cost a 1 MB table and the move of 32k entries).
 */
const LO_BUCKETS = 65536;

/**
 * The keys that share key1 and the high 16 bits of key2 (echo: one requester's identifier; ARP:
 * one asker's targets in one /16). Its table is open-addressed by the low 16 bits themselves
 * (echo: the sequence number) with linear probing: each bucket is two Int32s, value + 1 (0 =
 * empty) and the low bits. Sequential keys fill a contiguous run with no displacement, so probes
 * and deletions stop after `maxShift` buckets (the largest displacement of any entry) instead of
 * walking the whole run.
 */
interface Flow {
  readonly k1: number;
  readonly hi: number;
  table: Int32Array;
  mask: number;
  count: number;
  maxShift: number;
}

/**
 * Map from a key of two uint32 numbers to a non-negative int (a request number), nothing allocated per
 * entry. Two levels: flows (key1, high half of key2) in a Map, each with its own small table
 * indexed by the low half of key2, so that keys counting up (a ping's sequence numbers) sit side
 * by side: a flood's inserts, lookups and deletions walk its table as streams (one cache line
 * holds eight neighbours) instead of touching a random line each, and one busy flow never
 * lengthens another's probes. The last flow used is kept at hand, so a flood pays no Map lookup.
 *
 * `get` remembers where it looked, so the `set` of the same key that usually follows (a request
 * that was not a duplicate) does not probe again.
 */
export class KeyIndex {
  private readonly flows = new Map<number, Flow>();
  private last: Flow | undefined;
  private count = 0;
  private allocated = 0;
  /** Where `get` ended for (memoK1, memoK2): its flow (undefined: none yet) and bucket. */
  private memoValid = false;
  private memoK1 = 0;
  private memoK2 = 0;
  private memoFlow: Flow | undefined;
  private memoBucket = 0;

  get size(): number {
    return this.count;
  }

  /** Buckets allocated over all flows (each at most twice its most entries, at least 8, at most 65,536). */
  get buckets(): number {
    return this.allocated;
  }

  get(k1: number, k2: number): number {
    const f = this.flow(k1, k2 >>> 16);
    this.memoValid = true;
    this.memoK1 = k1;
    this.memoK2 = k2;
    this.memoFlow = f;
    if (f === undefined) return -1;
    const r = find(f, k2 & 0xffff);
    this.memoBucket = r;
    // Read whether found or not: see `find` on why neither path may be cold.
    const v = f.table[2 * bucketOf(r, f)] - 1;
    return r >= 0 ? v : -1;
  }

  /** Maps the key to `value`; returns the value it mapped to before, or -1. */
  set(k1: number, k2: number, value: number): number {
    let f: Flow | undefined;
    let r: number;
    const lo = k2 & 0xffff;
    if (this.memoValid && this.memoK1 === k1 && this.memoK2 === k2 && this.memoFlow !== undefined) {
      f = this.memoFlow;
      r = this.memoBucket;
    } else {
      f = this.flow(k1, k2 >>> 16) ?? this.newFlow(k1, k2 >>> 16);
      r = find(f, lo);
    }
    if (r === NO_BUCKET) r = emptyAt(firstEmpty(f, lo));
    // A takeover (found) and an insertion write their bucket the same way.
    const i = bucketOf(r, f);
    const old = f.table[2 * i] - 1;
    putAt(f, i, value + 1, lo);
    if (old < 0) {
      this.count++;
      this.memoValid = false;
      if (2 * ++f.count > f.mask + 1 && f.mask + 1 < LO_BUCKETS) this.grow(f);
    }
    return old;
  }

  /** Removes the key if it still maps to `value` (a newer value may have taken it over). */
  delete(k1: number, k2: number, value: number): void {
    const f = this.flow(k1, k2 >>> 16);
    if (f === undefined) return;
    const t = f.table;
    let i = find(f, k2 & 0xffff);
    if (i < 0 || t[2 * i] !== value + 1) return;
    this.memoValid = false;
    this.count--;
    if (--f.count === 0) {
      this.flows.delete(k1 * 65536 + f.hi);
      this.allocated -= f.mask + 1;
      if (this.last === f) this.last = undefined;
      return;
    }
    const m = f.mask;
    // Backward shift: pull later buckets of the probe run into the hole unless their home lies
    // cyclically in (hole, position], where they must stay. An entry further than maxShift from
    // the hole cannot have its home at or before it.
    for (let j = (i + 1) & m; ((j - i) & m) <= f.maxShift; j = (j + 1) & m) {
      const e = t[2 * j];
      if (e === 0) break;
      const lo = t[2 * j + 1];
      const h = lo & m;
      const stays = i <= j ? i < h && h <= j : i < h || h <= j;
      if (!stays) {
        t[2 * i] = e;
        t[2 * i + 1] = lo;
        i = j;
      }
    }
    t[2 * i] = 0;
  }

  clear(): void {
    this.flows.clear();
    this.last = undefined;
    this.count = 0;
    this.allocated = 0;
    this.memoValid = false;
  }

  private flow(k1: number, hi: number): Flow | undefined {
    const last = this.last;
    if (last !== undefined && last.k1 === k1 && last.hi === hi) return last;
    const f = this.flows.get(k1 * 65536 + hi);
    if (f !== undefined) this.last = f;
    return f;
  }

  private newFlow(k1: number, hi: number): Flow {
    const f: Flow = { k1, hi, table: new Int32Array(2 * MIN_BUCKETS), mask: MIN_BUCKETS - 1, count: 0, maxShift: 0 };
    this.flows.set(k1 * 65536 + hi, f);
    this.allocated += MIN_BUCKETS;
    this.last = f;
    return f;
  }

  private grow(f: Flow): void {
    const old = f.table;
    const buckets = 2 * (f.mask + 1);
    this.allocated += buckets - (f.mask + 1);
    f.table = new Int32Array(2 * buckets);
    f.mask = buckets - 1;
    f.maxShift = 0;
    for (let o = 0; o < old.length; o += 2) if (old[o] !== 0) putAt(f, firstEmpty(f, old[o + 1]), old[o], old[o + 1]);
  }
}

/** `find` found neither the key nor an empty bucket within `maxShift` of its home. */
const NO_BUCKET = -1;
/** A `find` result naming empty bucket `i` (where the key it looked for goes). */
const emptyAt = (i: number) => -2 - i;

/**
 * The bucket of flow `f` holding low bits `lo`; else emptyAt(the empty bucket where probing
 * stopped: the first from home, where `lo` goes), or NO_BUCKET. Each probe reads and compares
 * both halves before it branches: a flood's first takeover (its sequence numbers wrap) then runs
 * no operation its warm-up did not, and the optimised callers are not thrown away.
 */
function find(f: Flow, lo: number): number {
  const t = f.table;
  const m = f.mask;
  const home = lo & m;
  for (let d = 0; d <= f.maxShift; d++) {
    const i = (home + d) & m;
    const empty = t[2 * i] === 0;
    const same = t[2 * i + 1] === lo;
    if (empty) return emptyAt(i);
    if (same) return i;
  }
  return NO_BUCKET;
}

/** The bucket a `find` result names (found or empty); some bucket for NO_BUCKET, to be read but not used. */
function bucketOf(r: number, f: Flow): number {
  return (r >= 0 ? r : -2 - r) & f.mask;
}

/** The first empty bucket from the home of `lo`. */
function firstEmpty(f: Flow, lo: number): number {
  const t = f.table;
  const m = f.mask;
  let i = lo & m;
  while (t[2 * i] !== 0) i = (i + 1) & m;
  return i;
}

/** Writes bucket `i` (entry: value + 1) for low bits `lo`, whose home may lie up to i behind. */
function putAt(f: Flow, i: number, entry: number, lo: number): void {
  f.table[2 * i] = entry;
  f.table[2 * i + 1] = lo;
  const d = (i - lo) & f.mask;
  if (d > f.maxShift) f.maxShift = d;
}
