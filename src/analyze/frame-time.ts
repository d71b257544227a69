/**
 * Frame times stay as (seconds, nanoseconds) pairs of numbers: a bigint per frame would allocate,
 * and epoch nanoseconds do not fit a double. Differences are exact for spans under ~104 days.
 */
export function nsBetween(fromSec: number, fromNsec: number, toSec: number, toNsec: number): number {
  return (toSec - fromSec) * 1e9 + (toNsec - fromNsec);
}

/**
 * The analysis clock. Frame times become one number: nanoseconds since the first frame, exact
 * for spans under ~104 days (2^53 ns), so a request time is one column and a deadline one
 * comparison. The current frame's time and the latest time seen are fields, read by whoever needs
 * them, so no time travels as a call argument (a double argument is a heap number per call).
 */
export class FrameClock {
  /** Frames seen, the current one included: a clock that counts frames, for the annotation window. */
  tick = 0;
  /** The current frame: its own time, as given and in ns. */
  sec = 0;
  nsec = 0;
  t = 0;
  /** Latest frame time seen (ns): timeouts are measured on it, never on the wall clock. */
  now = -Infinity;
  /** `now` as seconds and nanoseconds. */
  nowSec = -Infinity;
  nowNsec = 0;
  /**
   * No store has work before this time (the least of their `checkAt`s, lowered by each store as
   * it sets its own): one comparison per frame for all of them. See Analyzer.expire for why it
   * starts in the past.
   */
  alarm = -Infinity;
  private baseSec = 0;
  private baseNsec = 0;
  private started = false;

  /** Moves to a frame's time; `now` never goes back. The first frame sets the origin. */
  set(sec: number, nsec: number): void {
    this.tick++;
    if (!this.started) {
      this.started = true;
      this.baseSec = sec;
      this.baseNsec = nsec;
    }
    const t = (sec - this.baseSec) * 1e9 + (nsec - this.baseNsec);
    this.sec = sec;
    this.nsec = nsec;
    this.t = t;
    if (t > this.now) {
      this.now = t;
      this.nowSec = sec;
      this.nowNsec = nsec;
    }
  }

  /** Whole seconds of a time given in ns (epoch seconds when the frames carry epoch time). */
  secOf(ns: number): number {
    return this.baseSec + Math.floor((this.baseNsec + ns) / 1e9);
  }

  /** Nanoseconds within the second of a time given in ns. */
  nsecOf(ns: number): number {
    const t = this.baseNsec + ns;
    return t - Math.floor(t / 1e9) * 1e9;
  }
}
