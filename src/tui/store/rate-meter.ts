/** Capture time is cut into buckets this long; the rate is over the last BUCKETS complete ones (1 s). */
const BUCKET_MS = 10;
const BUCKETS = 100;

/**
 * Frames per second as the capture's own timestamps count them, over the last whole second of
 * capture time before the newest frame. It reads the traffic, not the consumer: frames that
 * reach the UI late or in bursts (a slow render, a full queue) are still counted in the second
 * they were captured. When no frame has come for a second of wall time, the window moves on with
 * the wall clock, so a silent capture falls to 0/s within the next second.
 */
export class RateMeter {
  private readonly counts = new Float64Array(BUCKETS);
  /** Bucket number of the newest frame, and of the first; NaN before any frame. */
  private newest = Number.NaN;
  /** `newest % BUCKETS`, kept because most frames land in the newest bucket and % of a double is a libm call. */
  private newestSlot = 0;
  private firstBucket = Number.NaN;
  private lastFrameAtMs = 0;

  /** Counts one frame; `atMs` is the wall clock when it was taken in. */
  add(tsSec: number, tsNsec: number, atMs: number): void {
    const b = Math.floor(tsSec * (1000 / BUCKET_MS) + tsNsec / (BUCKET_MS * 1e6));
    if (!(b >= 0)) return; // a damaged file's time before 1970 (or none)
    this.lastFrameAtMs = atMs;
    if (b === this.newest) {
      this.counts[this.newestSlot]++;
      return;
    }
    if (!(b <= this.newest)) {
      if (Number.isNaN(this.newest)) this.firstBucket = b;
      const clear = Number.isNaN(this.newest) ? BUCKETS : Math.min(BUCKETS, b - this.newest);
      for (let k = 0; k < clear; k++) this.counts[(b - k) % BUCKETS] = 0;
      this.newest = b;
      this.newestSlot = b % BUCKETS;
    } else if (b <= this.newest - BUCKETS) {
      return; // older than the window: its second has been reported already
    }
    this.counts[b % BUCKETS]++;
  }

  /** Frames per second at wall time `nowMs`, or undefined until a frame of a second bucket came in. */
  perSecond(nowMs: number): number | undefined {
    if (Number.isNaN(this.newest)) return undefined;
    // The window ends at the newest bucket (still filling, so left out) or, after a second of
    // silence, where the wall clock says capture time has got to.
    const silentBuckets = Math.max(0, Math.floor((nowMs - this.lastFrameAtMs - 1000) / BUCKET_MS));
    const end = this.newest + silentBuckets;
    const span = Math.min(BUCKETS, end - this.firstBucket);
    if (span <= 0) return undefined;
    let frames = 0;
    for (let b = end - span; b < end; b++) if (b > this.newest - BUCKETS && b <= this.newest) frames += this.counts[b % BUCKETS];
    return (frames * 1000) / (span * BUCKET_MS);
  }
}
