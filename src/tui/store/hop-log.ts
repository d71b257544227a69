import type { CaptureInterface, FrameBatch } from '../../source/frame-batch.js';
import { sanitize } from '../../present/sanitize.js';
import { spanText } from '../../duration.js';

/**
 * Where each of the newest `frames` frames was seen, by frame index, for the detail pane: the hops
 * of merged copies (FrameBatch.hops) copied out of their batch into fixed columns, about four hops
 * a frame on average before older frames' hops are overwritten. Older frames show none. The
 * columns (about 82 bytes a frame) are made when the first merged batch comes: a capture of one
 * interface never has any.
 */
export class HopLog {
  private index = new Float64Array(0);
  private start = new Float64Array(0);
  private count = new Uint16Array(0);
  private ifIndex = new Uint32Array(0);
  private tsSec = new Float64Array(0);
  private tsNsec = new Uint32Array(0);
  private written = 0;
  private interfaces: readonly CaptureInterface[] = [];

  constructor(private readonly frames: number) {}

  /** Keeps frame i of `b` as frame `index` (no-op for a batch without hops). */
  record(index: number, b: FrameBatch, i: number): void {
    const h = b.hops;
    if (!h) return;
    if (this.index.length === 0) this.allocate();
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

  private allocate(): void {
    const n = this.frames;
    this.index = new Float64Array(n).fill(-1);
    this.start = new Float64Array(n);
    this.count = new Uint16Array(n);
    this.ifIndex = new Uint32Array(n * 4);
    this.tsSec = new Float64Array(n * 4);
    this.tsNsec = new Uint32Array(n * 4);
  }

  /** `seen on vethA → br-x → vethB, +12 µs` (or `seen on br-x`), or undefined when not kept. */
  lineOf(index: number): string | undefined {
    if (this.index.length === 0) return undefined;
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
