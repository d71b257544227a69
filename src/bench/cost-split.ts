import { openCaptureFile } from '../pcap/open.js';
import { PcapWriter } from '../pcap/pcap-writer.js';
import { BatchBuilder } from '../source/batch-builder.js';
import { fmt } from './row.js';

/** Whole-process CPU of one case on a file of `frames` frames. */
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
  /** CPU per million frames once warm: the slope between the two long files. */
  steadySecondsPerMFrames: number;
  /** What the long file cost beyond start-up and its frames at the steady rate: code not yet optimised, first touches of memory. */
  warmUpSeconds: number;
}

/** The split from runs on a short file, a long one and a longer one (in any order). */
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

/** The cases whose goals read "CPU over decode", decode itself, and the least echo pairing (file-cases.ts). */
export const SPLIT_CASES = ['decode', 'names', 'analysis', 'echo-floor'] as const;
export type SplitCase = (typeof SPLIT_CASES)[number];
/** Runs worker case `caseName` on `file` (with the names snapshot when `named`) in a process of its own. */
export type CaseRunner = (caseName: SplitCase, file: string, named: boolean) => Promise<SizedRun>;

const SHORT_FRAMES = 10;
const LONGER_COPIES = 3;

/**
 * Each split case on the flood's first frames, the flood, and the flood three times over (all
 * written alike by writeRepeated into `dir`), in `runs` interleaved rounds; the median CPU of each.
 */
export async function measureSplits(flood: string, dir: string, runs: number, run: CaseRunner): Promise<Record<SplitCase, CostSplit>> {
  const files = [`${dir}/split-short.pcap`, `${dir}/split-1x.pcap`, `${dir}/split-${LONGER_COPIES}x.pcap`];
  await writeRepeated(flood, files[0], 1, SHORT_FRAMES);
  await writeRepeated(flood, files[1], 1);
  await writeRepeated(flood, files[2], LONGER_COPIES);
  const seen = new Map<string, SizedRun[]>();
  for (let k = 0; k < runs; k++) {
    for (const c of SPLIT_CASES) {
      for (const f of files) {
        const key = `${c} ${f}`;
        seen.set(key, [...(seen.get(key) ?? []), await run(c, f, c === 'names')]);
      }
    }
  }
  const median = (rs: SizedRun[]) => [...rs].sort((a, b) => a.cpuSeconds - b.cpuSeconds)[(rs.length - 1) >> 1];
  const split = (c: SplitCase) => costSplit(files.map((f) => median(seen.get(`${c} ${f}`)!)));
  return Object.fromEntries(SPLIT_CASES.map((c) => [c, split(c)])) as Record<SplitCase, CostSplit>;
}

/** What a case's split adds to decode's, as the goal table prints it. */
export function splitOverDecode(c: CostSplit, decode: CostSplit): string {
  const ms = (s: number) => `${s >= 0 ? '+' : ''}${fmt(s * 1e3)} ms`;
  const steadyNs = c.steadySecondsPerMFrames - decode.steadySecondsPerMFrames;
  return `start-up ${ms(c.startupSeconds - decode.startupSeconds)}, warm-up ${ms(c.warmUpSeconds - decode.warmUpSeconds)}, ` +
    `steady ${steadyNs >= 0 ? '+' : ''}${fmt(steadyNs * 1e3)} ns a frame (${fmt((steadyNs / decode.steadySecondsPerMFrames) * 100)}% of decode's ${fmt(decode.steadySecondsPerMFrames * 1e3)})`;
}
