import type { CaptureInterface, FrameBatch } from '../../source/frame-batch.js';
import { sanitize } from '../../present/sanitize.js';
import { spanText } from '../../duration.js';

/**
 * Where each of the newest `frames` frames was seen, by frame index, for the detail pane: the hops
 * of merged copies (FrameBatch.hops) copied out of their batch into fixed columns, about four hops
 * a frame on average before older frames' hops are overwritten. Older frames show none.
 */
export class HopLog {
  private readonly index: Float64Array;
  private readonly start: Float64Array;
  private readonly count: Uint16Array;
  private readonly ifIndex: Uint32Array;
  private readonly tsSec: Float64Array;
  private readonly tsNsec: Uint32Array;
  private written = 0;
  private interfaces: readonly CaptureInterface[] = [];

  constructor(private readonly frames: number) {
    this.index = new Float64Array(frames).fill(-1);
    this.start = new Float64Array(frames);
    this.count = new Uint16Array(frames);
    this.ifIndex = new Uint32Array(frames * 4);
    this.tsSec = new Float64Array(frames * 4);
    this.tsNsec = new Uint32Array(frames * 4);
  }

  /** Keeps frame i of `b` as frame `index` (no-op for a batch without hops). */
  record(index: number, b: FrameBatch, i: number): void {
    const h = b.hops;
    if (!h) return;
    this.interfaces = b.interfaces;
    const slot = index % this.frames;
    const cap = this.ifIndex.length;
    this.index[slot] = index;
    this.start[slot] = this.written;
    this.count[slot] = h.count[i];
    for (let k = h.start[i], end = k + h.count[i]; k < end; k++) {
      const w = this.written++ % cap;
      this.ifIndex[w] = h.ifIndex[k];
      this.tsSec[w] = h.tsSec[k];
      this.tsNsec[w] = h.tsNsec[k];
    }
  }

  /** `seen on vethA → br-x → vethB, +12 µs` (or `seen on br-x`), or undefined when not kept. */
  lineOf(index: number): string | undefined {
    const slot = index % this.frames;
    const cap = this.ifIndex.length;
    if (this.index[slot] !== index || this.start[slot] < this.written - cap) return undefined;
    const n = this.count[slot];
    const names: string[] = [];
    for (let k = 0; k < n; k++) names.push(sanitize(this.interfaces[this.ifIndex[(this.start[slot] + k) % cap]]?.name ?? '?'));
    const first = this.start[slot] % cap;
    const last = (this.start[slot] + n - 1) % cap;
    const spanNs = (this.tsSec[last] - this.tsSec[first]) * 1e9 + (this.tsNsec[last] - this.tsNsec[first]);
    return `seen on ${names.join(' → ')}${n > 1 ? `, +${spanText(spanNs)}` : ''}`;
  }
}
