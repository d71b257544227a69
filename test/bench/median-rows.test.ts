import { describe, expect, it } from 'vitest';
import { medianRows } from '../../src/bench/median-rows.js';
import type { BenchRow } from '../../src/bench/row.js';

function row(name: string, cpu: number, extra: Partial<BenchRow> = {}): BenchRow {
  return { name, frames: 1e6, seconds: 1, framesPerSec: 1e6, cpuSecPerMFrames: cpu, ...extra };
}

/** A case that returns the given rows one per call, and records the order of all calls. */
function scripted(rows: BenchRow[], calls: string[]): () => Promise<BenchRow> {
  let k = 0;
  return async () => {
    const r = rows[k++];
    calls.push(`${r.name}#${k}`);
    return r;
  };
}

describe('medianRows', () => {
  it('runs the cases in rounds and shows each case by its run of median CPU', async () => {
    const calls: string[] = [];
    const [a, b] = await medianRows(
      [
        scripted([row('a', 0.5, { note: 'first' }), row('a', 0.3, { note: 'second' }), row('a', 0.4, { note: 'third' })], calls),
        scripted([row('b', 2), row('b', 1), row('b', 3)], calls),
      ],
      3,
    );
    expect(calls).toEqual(['a#1', 'b#1', 'a#2', 'b#2', 'a#3', 'b#3']);
    expect(a.cpuSecPerMFrames).toBe(0.4);
    expect(a.note).toBe('third; median of 3 runs: CPU s per M frames 0.30 0.40 0.50');
    expect(b.cpuSecPerMFrames).toBe(2);
  });

  it('keeps the highest peak RSS and the most kernel drops of any run, not the median run\'s', async () => {
    const [r] = await medianRows(
      [scripted([row('x', 1, { peakRssMb: 90, kernelDrops: 0 }), row('x', 2, { peakRssMb: 80, kernelDrops: 7 }), row('x', 3, { peakRssMb: 120, kernelDrops: 0 })], [])],
      3,
    );
    expect(r.cpuSecPerMFrames).toBe(2);
    expect(r.peakRssMb).toBe(120);
    expect(r.kernelDrops).toBe(7);
  });

  it('leaves drops, RSS and the note unset when no run has them, and one run without a spread', async () => {
    const [r] = await medianRows([scripted([row('y', 1)], [])], 1);
    expect(r.kernelDrops).toBeUndefined();
    expect(r.peakRssMb).toBeUndefined();
    expect(r.note).toBeUndefined();
  });
});
