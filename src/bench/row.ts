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
