import { describe, expect, it } from 'vitest';
import { costSplit, measureSplits, splitOverDecode, writeRepeated, type SplitCase } from '../../src/bench/cost-split.js';
import { openCaptureFile } from '../../src/pcap/open.js';
import { tempDir } from '../pcap/temp-file.js';

const file = tempDir();
const SEED = 'captures/seed-ping.pcap';

interface Seen {
  bytes: string;
  ns: number;
}

async function frames(path: string): Promise<Seen[]> {
  const out: Seen[] = [];
  for await (const b of openCaptureFile(path)) {
    for (let i = 0; i < b.count; i++) {
      const bytes = Buffer.from(b.data.subarray(b.offset[i], b.offset[i] + b.capLen[i])).toString('hex');
      out.push({ bytes, ns: b.tsSec[i] * 1e9 + b.tsNsec[i] });
    }
  }
  return out;
}

/** A case costing `startup` + `warmUp` (past `warmFrom` frames) + `steady` per M frames. */
const model = (startup: number, warmUp: number, steady: number, warmFrom = 100) => (frames: number) => ({
  frames,
  cpuSeconds: startup + (frames > warmFrom ? warmUp : 0) + (steady * frames) / 1e6,
});

describe('costSplit', () => {
  it('recovers start-up, warm-up and steady cost from three lengths, in any order', () => {
    const run = model(0.15, 0.05, 0.075);
    const s = costSplit([run(3e6), run(10), run(1e6)]);
    expect(s.startupSeconds).toBeCloseTo(0.15, 9);
    expect(s.warmUpSeconds).toBeCloseTo(0.05, 9);
    expect(s.steadySecondsPerMFrames).toBeCloseTo(0.075, 9);
  });

  it('refuses two runs of one length (no slope)', () => {
    const run = model(0.1, 0, 0.1);
    expect(() => costSplit([run(10), run(1e6), run(1e6)])).toThrow(/three runs of different lengths/);
  });

  it('prints what a case adds to decode, in ms and ns a frame', () => {
    const decode = costSplit([10, 1e6, 3e6].map(model(0.15, 0.05, 0.075)));
    const analysis = costSplit([10, 1e6, 3e6].map(model(0.17, 0.16, 0.14)));
    expect(splitOverDecode(analysis, decode)).toBe("start-up +20 ms, warm-up +110 ms, steady +65 ns a frame (87% of decode's 75)");
  });
});

describe('writeRepeated', () => {
  it('writes the capture again and again, each copy a second after the last ended, frames unchanged', async () => {
    const original = await frames(SEED);
    const out = file('thrice.pcap');
    expect(await writeRepeated(SEED, out, 3)).toBe(3 * original.length);
    const copy = await frames(out);
    expect(copy).toHaveLength(3 * original.length);
    const span = original[original.length - 1].ns - original[0].ns;
    const shift = copy[original.length].ns - original[0].ns;
    // A whole number of seconds, the span and at least a second more.
    expect(shift % 1e9).toBe(0);
    expect(shift).toBeGreaterThanOrEqual(span + 1e9);
    for (let k = 0; k < 3; k++) {
      for (let i = 0; i < original.length; i++) {
        expect(copy[k * original.length + i]).toEqual({ bytes: original[i].bytes, ns: original[i].ns + k * shift });
      }
    }
  });

  it('stops after the limit', async () => {
    const original = await frames(SEED);
    const out = file('first5.pcap');
    expect(await writeRepeated(SEED, out, 3, 5)).toBe(5);
    expect(await frames(out)).toEqual(original.slice(0, 5));
  });
});

/** The seed's frames stand for SCALE frames each; the short file (10 of them) stays under WARM_FROM. */
const SCALE = 1e5;
const WARM_FROM = 10.5 * SCALE;

describe('measureSplits', () => {
  it('runs every case short, then long with a mark after the first copy, in rounds, and splits the medians', async () => {
    const calls: string[] = [];
    const lengths = new Map<string, number>();
    const costs: Record<SplitCase, ReturnType<typeof model>> = {
      decode: model(0.15, 0.05, 0.075, WARM_FROM),
      names: model(0.17, 0.07, 0.09, WARM_FROM),
      analysis: model(0.17, 0.16, 0.14, WARM_FROM),
      'echo-floor': model(0.15, 0.06, 0.085, WARM_FROM),
      'echo-lean': model(0.16, 0.1, 0.11, WARM_FROM),
    };
    const marks: (number | undefined)[] = [];
    const splits = await measureSplits(SEED, file(''), 3, async (c, f, named, markAt) => {
      calls.push(`${c}${named ? '+names' : ''}`);
      marks.push(markAt);
      if (!lengths.has(f)) lengths.set(f, (await frames(f)).length);
      const cost = costs[c];
      // The first round is an outlier the medians must drop.
      const noise = calls.length <= 10 ? 1 : 0;
      const end = cost(lengths.get(f)! * SCALE);
      const mark = markAt === undefined ? undefined : cost(markAt * SCALE);
      return { end: { frames: end.frames, cpuSeconds: end.cpuSeconds + noise }, mark: mark && { frames: mark.frames, cpuSeconds: mark.cpuSeconds } };
    });
    const seedFrames = (await frames(SEED)).length;
    expect([...lengths.values()].sort((a, b) => a - b)).toEqual([Math.min(10, seedFrames), 3 * seedFrames]);
    expect(calls.slice(0, 10)).toEqual(['decode', 'decode', 'names+names', 'names+names', 'analysis', 'analysis', 'echo-floor', 'echo-floor', 'echo-lean', 'echo-lean']);
    expect(calls).toHaveLength(30);
    // Short runs unmarked; long runs marked where the first copy ends.
    expect(marks.slice(0, 2)).toEqual([undefined, seedFrames]);
    expect(splits.analysis.steadySecondsPerMFrames).toBeCloseTo(0.14, 9);
    expect(splits.analysis.warmUpSeconds).toBeCloseTo(0.16, 9);
    expect(splits.names.startupSeconds).toBeCloseTo(0.17, 9);
    expect(splits.decode.warmUpSeconds).toBeCloseTo(0.05, 9);
    expect(splits['echo-floor'].steadySecondsPerMFrames).toBeCloseTo(0.085, 9);
    expect(splits['echo-lean'].warmUpSeconds).toBeCloseTo(0.1, 9);
  });

  it('fails a long run that came back without its mark', async () => {
    await expect(measureSplits(SEED, file(''), 1, async (_c, _f, _named, markAt) => ({
      end: { frames: markAt ? 36 : 10, cpuSeconds: 0.2 },
    }))).rejects.toThrow(/decode run reported no CPU mark/);
  });
});
