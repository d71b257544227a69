import type { CaptureSource, CaptureStats, FrameBatch } from './frame-batch.js';

export interface TeeOptions {
  /** Sees every batch before the consumer does (e.g. a file writer): nothing read is lost. */
  onBatch?: (batch: FrameBatch) => void;
  /** Deliver at most this many frames, then close the inner source. */
  limit?: number;
}

/**
 * Wraps a source so each batch goes to `onBatch` first, and stops after `limit` frames. A batch
 * that crosses the limit is cut by lowering its `count`: the arrays stay the source's own.
 */
export class TeeSource implements CaptureSource {
  private delivered = 0;
  private limit: number;

  constructor(
    private readonly inner: CaptureSource,
    private readonly opts: TeeOptions,
  ) {
    this.limit = opts.limit ?? Infinity;
  }

  /** Sets the limit once what is captured is known (before iteration starts). */
  limitTo(limit: number): void {
    this.limit = limit;
  }

  get label(): string {
    return this.inner.label;
  }

  get holdBackMs(): number | undefined {
    return this.inner.holdBackMs;
  }

  get frames(): number {
    return this.delivered;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<FrameBatch> {
    const limit = this.limit;
    if (limit <= 0) return;
    for await (const batch of this.inner) {
      const left = limit - this.delivered;
      if (batch.count > left) batch.count = left;
      this.delivered += batch.count;
      this.opts.onBatch?.(batch);
      yield batch;
      if (this.delivered >= limit) break;
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  stats(): CaptureStats[] {
    return this.inner.stats();
  }
}
