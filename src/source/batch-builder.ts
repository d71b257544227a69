import type { CaptureInterface, FrameBatch } from './frame-batch.js';

/**
 * Fills a FrameBatch frame by frame over an arena the caller provides (a file chunk or a
 * native ring copy). The header arrays are allocated once per builder and reused: each
 * `take()` hands out the batch and the next `reset()` overwrites it, which is the lifetime
 * contract of FrameBatch.
 */
export class BatchBuilder {
  private readonly batch: FrameBatch;

  constructor(readonly capacity: number, interfaces: CaptureInterface[]) {
    this.batch = {
      count: 0,
      data: new Uint8Array(0),
      offset: new Uint32Array(capacity),
      capLen: new Uint32Array(capacity),
      origLen: new Uint32Array(capacity),
      tsSec: new Float64Array(capacity),
      tsNsec: new Uint32Array(capacity),
      ifIndex: new Uint32Array(capacity),
      interfaces,
    };
  }

  reset(data: Uint8Array): void {
    this.batch.count = 0;
    this.batch.data = data;
  }

  get full(): boolean {
    return this.batch.count >= this.capacity;
  }

  get count(): number {
    return this.batch.count;
  }

  push(offset: number, capLen: number, origLen: number, tsSec: number, tsNsec: number, ifIndex: number): void {
    const b = this.batch;
    const i = b.count++;
    b.offset[i] = offset;
    b.capLen[i] = capLen;
    b.origLen[i] = origLen;
    b.tsSec[i] = tsSec;
    b.tsNsec[i] = tsNsec;
    b.ifIndex[i] = ifIndex;
  }

  take(): FrameBatch {
    return this.batch;
  }
}
