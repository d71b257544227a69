/**
 * The ring indices of the frames a display filter kept, in order, addressed by absolute list
 * position (the n-th match since the filter was applied): positions never shift when old frames
 * leave the ring, so a selection stays on its frame. Bounded by the ring's capacity.
 */
export class MatchList {
  private readonly index: Float64Array;
  /** First position still held, and the position the next match gets. */
  start = 0;
  end = 0;

  constructor(readonly capacity: number) {
    this.index = new Float64Array(capacity);
  }

  clear(): void {
    this.start = 0;
    this.end = 0;
  }

  push(ringIndex: number): void {
    if (this.end - this.start === this.capacity) this.start++;
    this.index[this.end++ % this.capacity] = ringIndex;
  }

  at(pos: number): number {
    return this.index[pos % this.capacity];
  }

  /** Forgets matches whose frames the ring no longer holds. */
  trim(ringFirst: number): void {
    while (this.start < this.end && this.at(this.start) < ringFirst) this.start++;
  }

  /** First position whose ring index is >= `ringIndex` (end when none). */
  lowerBound(ringIndex: number): number {
    let lo = this.start;
    let hi = this.end;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.at(mid) < ringIndex) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
