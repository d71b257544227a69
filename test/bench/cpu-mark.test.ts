import { describe, expect, it } from 'vitest';
import { CpuMarkSource, processCpuSeconds } from '../../src/bench/cpu-mark.js';
import { openCaptureFile } from '../../src/pcap/open.js';

const SEED = 'captures/seed-ping.pcap';

describe('CpuMarkSource', () => {
  it('passes every batch through and marks the CPU when the frames before it are all handled', async () => {
    const plain: number[] = [];
    for await (const b of openCaptureFile(SEED, { batchFrames: 5 })) plain.push(b.count);
    expect(plain.length).toBeGreaterThan(1);
    const source = new CpuMarkSource(openCaptureFile(SEED, { batchFrames: 5 }), plain[0]);
    expect(source.label).toContain('seed-ping.pcap');
    const seen: number[] = [];
    let before = 0;
    for await (const b of source) {
      // Asking for the second batch is when the mark is taken: not while the first is handled.
      if (seen.length === 0) {
        expect(source.mark).toBeUndefined();
        before = processCpuSeconds();
      } else expect(source.mark).toBeDefined();
      seen.push(b.count);
    }
    expect(seen).toEqual(plain);
    expect(source.mark?.frames).toBe(plain[0]);
    expect(source.mark!.cpuSeconds).toBeGreaterThanOrEqual(before);
    expect(source.mark!.cpuSeconds).toBeLessThanOrEqual(processCpuSeconds());
  });

  it('marks nothing when the source ends before the mark', async () => {
    const source = new CpuMarkSource(openCaptureFile(SEED), 1e9);
    for await (const _b of source) void _b;
    expect(source.mark).toBeUndefined();
  });
});
