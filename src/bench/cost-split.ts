import { openCaptureFile } from '../pcap/open.js';
import { PcapWriter } from '../pcap/pcap-writer.js';
import { BatchBuilder } from '../source/batch-builder.js';
import { fmt } from './row.js';

/** A process's CPU once `frames` frames were handled (at the end of a run, or at its CPU mark). */
export interface SizedRun {
  frames: number;
  cpuSeconds: number;
}

/**
 * A case's whole-process CPU as start-up + warm-up + frames x steady cost. A goal's ratio on one
 * 1 M-frame file mixes the three; they call for different remedies (load less, compile less,
 * do less per frame), so the bench measures each.
 */
export interface CostSplit {
  /** The process on a file of a few frames: Node, the case's modules, its first objects. */
  startupSeconds: number;
  /** CPU per million frames once warm: the slope over the later frames of a long run. */
  steadySecondsPerMFrames: number;
  /** What the long file cost beyond start-up and its frames at the steady rate: code not yet optimised, first touches of memory. */
  warmUpSeconds: number;
}

/**
 * The split from three sizes, in any order: a short run, and two points further on (a long run
 * at its CPU mark and at its end, or a long file and a longer one).
 */
export function costSplit(runs: SizedRun[]): CostSplit {
  const [short, long, longer] = [...runs].sort((a, b) => a.frames - b.frames);
  if (!longer || longer.frames === long.frames) throw new Error('costSplit needs three runs of different lengths');
  const perFrame = (longer.cpuSeconds - long.cpuSeconds) / (longer.frames - long.frames);
  const startup = short.cpuSeconds - short.frames * perFrame;
  return {
    startupSeconds: startup,
    steadySecondsPerMFrames: perFrame * 1e6,
    warmUpSeconds: long.cpuSeconds - startup - long.frames * perFrame,
  };
}

/**
 * A classic pcap of `from`'s frames `copies` times over, each copy shifted to start a second after
 * the one before it ended (so every clock-driven verdict of a copy comes as it did in the
 * original), stopping after `limit` frames. Returns the frames written.
 */
export async function writeRepeated(from: string, to: string, copies: number, limit = Infinity): Promise<number> {
  let first = Number.NaN;
  let last = 0;
  for await (const b of openCaptureFile(from)) {
    if (b.count === 0) continue;
    if (Number.isNaN(first)) first = b.tsSec[0] + b.tsNsec[0] / 1e9;
    last = b.tsSec[b.count - 1] + b.tsNsec[b.count - 1] / 1e9;
  }
  const shift = Math.ceil(last - first) + 1;
  const writer = new PcapWriter(to);
  let written = 0;
  for (let copy = 0; copy < copies && written < limit; copy++) {
    for await (const b of openCaptureFile(from)) {
      const out = new BatchBuilder(b.count, [...b.interfaces]);
      out.reset(b.data);
      for (let i = 0; i < b.count && written < limit; i++, written++) {
        out.push(b.offset[i], b.capLen[i], b.origLen[i], b.tsSec[i] + copy * shift, b.tsNsec[i], b.ifIndex[i]);
      }
      writer.writeBatch(out.take());
      if (written >= limit) break;
    }
  }
  writer.close();
  return written;
}

/**
 * The cases whose goals read "CPU over decode", decode itself, and two yardsticks for the
 * analysis (file-cases.ts): the least echo pairing, and the plainest one that decides what the
 * analyzer decides for a flood.
 */
export const SPLIT_CASES = ['decode', 'names', 'analysis', 'echo-floor', 'echo-lean'] as const;
export type SplitCase = (typeof SPLIT_CASES)[number];
/** A run of the worker: the whole process, and where it stood at its CPU mark when it was given one. */
export interface MarkedRun {
  end: SizedRun;
  mark?: SizedRun;
}
/** Runs worker case `caseName` on `file` (with the names snapshot when `named`), marking the CPU after `markAt` frames. */
export type CaseRunner = (caseName: SplitCase, file: string, named: boolean, markAt?: number) => Promise<MarkedRun>;

const SHORT_FRAMES = 10;
const LONG_COPIES = 3;

/** The middle element by `by`, the lower one of an even count. */
function median<T>(xs: T[], by: (x: T) => number): T {
  return [...xs].sort((a, b) => by(a) - by(b))[(xs.length - 1) >> 1];
}

/**
 * Each split case on the flood's first frames (start-up) and on the flood three times over, its
 * CPU marked at the end of the first copy (warm-up and steady cost), both written by writeRepeated
 * into `dir`; `runs` interleaved rounds. Start-up is the median short run; the split shown is the
 * long run of median steady cost.
 */
export async function measureSplits(flood: string, dir: string, runs: number, run: CaseRunner): Promise<Record<SplitCase, CostSplit>> {
  const short = `${dir}/split-short.pcap`;
  const long = `${dir}/split-${LONG_COPIES}x.pcap`;
  await writeRepeated(flood, short, 1, SHORT_FRAMES);
  const markAt = (await writeRepeated(flood, long, LONG_COPIES)) / LONG_COPIES;
  const shorts = new Map<SplitCase, SizedRun[]>(SPLIT_CASES.map((c) => [c, []]));
  const longs = new Map<SplitCase, MarkedRun[]>(SPLIT_CASES.map((c) => [c, []]));
  for (let k = 0; k < runs; k++) {
    for (const c of SPLIT_CASES) {
      shorts.get(c)!.push((await run(c, short, c === 'names')).end);
      longs.get(c)!.push(await run(c, long, c === 'names', markAt));
    }
  }
  const split = (c: SplitCase): CostSplit => {
    const startup = median(shorts.get(c)!, (r) => r.cpuSeconds);
    const each = longs.get(c)!.map((r) => {
      if (!r.mark) throw new Error(`split: the ${c} run reported no CPU mark`);
      return costSplit([startup, r.mark, r.end]);
    });
    return median(each, (x) => x.steadySecondsPerMFrames);
  };
  return Object.fromEntries(SPLIT_CASES.map((c) => [c, split(c)])) as Record<SplitCase, CostSplit>;
}

/** What a case's split adds to decode's, as the goal table prints it. */
export function splitOverDecode(c: CostSplit, decode: CostSplit): string {
  const ms = (s: number) => `${s >= 0 ? '+' : ''}${fmt(s * 1e3)} ms`;
  const steadyNs = c.steadySecondsPerMFrames - decode.steadySecondsPerMFrames;
  return `start-up ${ms(c.startupSeconds - decode.startupSeconds)}, warm-up ${ms(c.warmUpSeconds - decode.warmUpSeconds)}, ` +
    `steady ${steadyNs >= 0 ? '+' : ''}${fmt(steadyNs * 1e3)} ns a frame (${fmt((steadyNs / decode.steadySecondsPerMFrames) * 100)}% of decode's ${fmt(decode.steadySecondsPerMFrames * 1e3)})`;
}
