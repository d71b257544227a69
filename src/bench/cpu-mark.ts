import type { CaptureSource, FrameBatch } from '../source/frame-batch.js';
import type { SizedRun } from './cost-split.js';

/** CPU this process has used so far (user + system, all threads), in seconds. */
export function processCpuSeconds(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
}

/**
 * Passes a source's batches through and, when the consumer asks for the first batch past
 * `atFrames` frames (it has handled every frame before), records the process's CPU. The steady
 * cost of a case is then measured inside one run that goes on, not as the difference of two
 * processes, each of which varies by tens of milliseconds on this VM.
 */
export class CpuMarkSource implements CaptureSource {
  /** Where the run stood: the frames handled, and the process's CPU then. */
  mark: SizedRun | undefined;

  constructor(
    private readonly inner: CaptureSource,
    private readonly atFrames: number,
  ) {}

  get label(): string {
    return this.inner.label;
  }

  get holdBackMs(): number | undefined {
    return this.inner.holdBackMs;
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  stats() {
    return this.inner.stats();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<FrameBatch> {
    let frames = 0;
    for await (const b of this.inner) {
      if (this.mark === undefined && frames >= this.atFrames) this.mark = { frames, cpuSeconds: processCpuSeconds() };
      frames += b.count;
      yield b;
    }
  }
}
