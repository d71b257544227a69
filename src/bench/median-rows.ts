import { cpu, fmt, type BenchRow } from './row.js';

/**
 * Each case `runs` times in rounds (every case once per round, so a busy spell of the machine
 * touches all of them alike); per case the run of median CPU, with the highest peak RSS and the
 * most kernel drops of all its runs (a drop in any run is a drop), and every run's CPU in its note.
 */
export async function medianRows(cases: Array<() => Promise<BenchRow>>, runs: number): Promise<BenchRow[]> {
  const all: BenchRow[][] = cases.map(() => []);
  for (let k = 0; k < runs; k++) for (let c = 0; c < cases.length; c++) all[c].push(await cases[c]());
  return all.map((rs) => {
    const sorted = [...rs].sort((a, b) => cpu(a) - cpu(b));
    const mid = sorted[(sorted.length - 1) >> 1];
    const spread = rs.length > 1 ? `median of ${rs.length} runs: CPU s per M frames ${sorted.map((r) => fmt(cpu(r), 2)).join(' ')}` : undefined;
    const drops = rs.map((r) => r.kernelDrops).filter((d): d is number => d !== undefined);
    return {
      ...mid,
      peakRssMb: rs.some((r) => r.peakRssMb !== undefined) ? Math.max(...rs.map((r) => r.peakRssMb ?? 0)) : undefined,
      kernelDrops: drops.length ? Math.max(...drops) : undefined,
      note: [mid.note, spread].filter(Boolean).join('; ') || undefined,
    };
  });
}
