/** One measured line of `npm run bench`. Ratios are computed by the driver against named baselines. */
export interface BenchRow {
  name: string;
  frames: number;
  seconds: number;
  framesPerSec: number;
  peakRssMb?: number;
  kernelDrops?: number;
  cpuSecPerMFrames?: number;
  note?: string;
}

/** A number as the bench prints it: thousands grouped, `digits` after the point. */
export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** A row's CPU seconds per million frames; NaN for a row without (a count that is not CPU). */
export const cpu = (r: BenchRow): number => r.cpuSecPerMFrames ?? Number.NaN;
