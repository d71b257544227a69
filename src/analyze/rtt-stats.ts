/** RTTs kept exactly up to this many samples; beyond it p99 comes from a reservoir of this size. */
export const RTT_RESERVOIR = 1024;

export interface RttSummary {
  count: number;
  /** Nanoseconds; undefined when there is no sample. */
  minNs?: number;
  avgNs?: number;
  maxNs?: number;
  /**
   * 99th percentile (nearest rank). Exact while count <= RTT_RESERVOIR; above that it is the p99
   * of a uniform reservoir sample (Algorithm R) of RTT_RESERVOIR values, drawn with a fixed-seed
   * generator so the same frames always give the same figure.
   */
  p99Ns?: number;
  p99Exact: boolean;
}

/**
 * a % b for non-negative integers below 2^32, as a division: `%` on numbers that may exceed the
 * int32 range compiles to the x87 remainder loop, tens of times slower (it ran once per RTT).
 */
function modulo(a: number, b: number): number {
  return a - Math.floor(a / b) * b;
}

/** Samples held before the first growth: most pairs of a scan never get a reply, many get one. */
const FIRST_SAMPLES = 4;

/**
 * Running min/avg/max and a bounded reservoir for p99. The reservoir is allocated on the first
 * sample and doubles as samples come, up to RTT_RESERVOIR (8 KB): memory follows the samples a
 * pair has, so a scan over 100k addresses (one pair each, at most a reply each) costs tens of
 * bytes per pair, and a busy pair at most 8 KB.
 */
export class RttStats {
  count = 0;
  private min = Infinity;
  private max = -Infinity;
  private sum = 0;
  private samples: Float64Array | undefined;
  private rng = 0x9e3779b9;

  add(ns: number): void {
    this.count++;
    // Stored either way: a new extreme late in a flood then runs nothing the warm-up did not.
    this.min = ns < this.min ? ns : this.min;
    this.max = ns > this.max ? ns : this.max;
    this.sum += ns;
    if (this.count <= RTT_RESERVOIR) {
      this.keep(this.count - 1, ns);
      return;
    }
    // nextRandom() written out: this runs once per RTT and the call did not get inlined.
    let x = this.rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x >>> 0;
    const j = modulo(x >>> 0, this.count);
    if (j < RTT_RESERVOIR) this.samples![j] = ns;
  }

  /** Stores sample `i` (< RTT_RESERVOIR), growing the reservoir when it is full. */
  private keep(i: number, ns: number): void {
    let s = this.samples;
    if (s === undefined || i >= s.length) {
      const grown = new Float64Array(s === undefined ? FIRST_SAMPLES : Math.min(2 * s.length, RTT_RESERVOIR));
      if (s !== undefined) grown.set(s);
      this.samples = s = grown;
    }
    s[i] = ns;
  }

  /**
   * Adds another set's figures (two address pairs that carry the same container labels).
   * count/min/avg/max stay exact; p99 stays exact while the combined count fits the reservoir.
   */
  merge(other: RttStats): void {
    const otherKept = Math.min(other.count, RTT_RESERVOIR);
    for (let i = 0; i < otherKept; i++) {
      const kept = Math.min(this.count, RTT_RESERVOIR);
      const ns = other.samples![i];
      if (kept < RTT_RESERVOIR) this.keep(kept, ns);
      else if (modulo(this.nextRandom(), this.count + other.count) >= this.count) this.samples![modulo(this.nextRandom(), RTT_RESERVOIR)] = ns;
      this.count++;
    }
    this.count += other.count - otherKept;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
    this.sum += other.sum;
  }

  /** The figures of `stats`; none (count 0) when it is undefined. */
  static summary(stats: RttStats | undefined): RttSummary {
    return stats === undefined ? { count: 0, p99Exact: true } : stats.summary();
  }

  summary(): RttSummary {
    if (this.count === 0) return { count: 0, p99Exact: true };
    const kept = this.samples!.slice(0, Math.min(this.count, RTT_RESERVOIR)).sort();
    const rank = Math.ceil(0.99 * kept.length) - 1;
    return {
      count: this.count,
      minNs: this.min,
      avgNs: Math.round(this.sum / this.count),
      maxNs: this.max,
      p99Ns: kept[rank],
      p99Exact: this.count <= RTT_RESERVOIR,
    };
  }

  /** xorshift32: deterministic, allocation-free. */
  private nextRandom(): number {
    let x = this.rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x >>> 0;
    return this.rng;
  }
}
