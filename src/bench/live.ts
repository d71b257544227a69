import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { noNames } from '../model/endpoint.js';
import { openCapture, type CaptureEngine } from '../capture/index.js';
import { FrameDecoder } from '../decode/index.js';
import { openCaptureFile } from '../pcap/open.js';
import { PcapngWriter } from '../pcap/pcapng-writer.js';
import type { FrameBatch } from '../source/frame-batch.js';
import { analyzerFeed } from '../tui/store/analyzer-feed.js';
import { DEFAULT_RING_FRAMES } from '../tui/store/frame-ring.js';
import { TuiStore } from '../tui/store/tui-store.js';
import { medianRows } from './median-rows.js';
import { createNetnsLab, type NetnsLab } from './netns-lab.js';
import type { BenchRow } from './row.js';
import { timed, type ToolRun } from './tools.js';

/**
 * The live cases of `npm run bench`: a flood ping between two namespaces of the bench's own on a
 * bridge of its own, captured for SECONDS by tcpdump -w (the reference), by our native engine, and
 * by cap at a rate it survives (it aborts under a flood; see src/capture/cap-source.ts), each in a
 * process of its own, the flood cases LIVE_RUNS times in rounds with tcpdump. CPU is counted alike:
 * tcpdump's by GNU time, ours by process.cpuUsage over the capture only. Then the
 * CLI's `capture -w` beside tcpdump -w on one flood (both by GNU time), and the UI store fed for
 * UI_SECONDS in a process of its own (ui-flood.ts) for its memory and header rate.
 * Prints nothing; the driver prints the table.
 */
const SECONDS = 10;
const UI_SECONDS = 60;
/** Rounds of the flood cases (tcpdump -w and ours, interleaved), of which the median CPU is shown. */
const LIVE_RUNS = Math.max(1, Number(process.env.BRIDGESCOPE_BENCH_LIVE_RUNS ?? 3));
const UI_FLOOD = fileURLToPath(new URL('./ui-flood.js', import.meta.url));
const LIVE_WORKER = fileURLToPath(new URL('./live-worker.js', import.meta.url));
const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
/** cap's rate: one echo a millisecond, about 2,000 frames/s on the bridge with the replies. */
const CAP_SAFE_INTERVAL = '0.001';
export const LAB = { nsPrefix: 'bslive-', ifPrefix: 'bslive', subnet: '10.204.1' };

export const LIVE_ROWS = {
  tcpdump: 'tcpdump -w, ping -f',
  count: 'bridgescope native (count), ping -f',
  write: 'bridgescope native pcapng write (no decode), ping -f',
  decodeWrite: 'bridgescope native decode+write, ping -f',
  uiStore: 'bridgescope native + UI store, ping -f',
  cliTcpdump: 'tcpdump -w beside capture -w',
  cli: 'capture IFACE -w F --no-tui beside tcpdump -w',
} as const;

/** The UI's 60 s flood (ui-flood.ts), with GNU time's peak RSS of its process. */
export interface UiFlood {
  row: BenchRow;
  ringArenaMb: number;
  spillIndexMb: number;
  /** Once a second: the header's frames/s and what libpcap received over the second its window covers. */
  rates: { header: number; received: number }[];
}

export interface LiveResults {
  rows: BenchRow[];
  ui: UiFlood;
}

export async function benchLive(): Promise<LiveResults> {
  const lab = createNetnsLab(LAB);
  const dir = mkdtempSync(join(tmpdir(), 'bslive-'));
  try {
    const flood = await medianRows([
      () => tcpdumpCase(lab, join(dir, 'flood.pcap')),
      ...FLOOD_CASES.map((c) => () => inOwnProcess(lab, c, dir)),
    ], LIVE_RUNS);
    const rows = [
      ...flood,
      await inOwnProcess(lab, 'count-slow', dir),
      await inOwnProcess(lab, 'cap', dir),
      ...(await cliBesideTcpdump(lab, dir)),
    ];
    return { rows, ui: await uiFlood(lab) };
  } finally {
    lab.teardown();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What an engine case needs of the lab: the bridge to capture on, and who pings whom. */
export type LiveLab = Pick<NetnsLab, 'bridge' | 'nsA' | 'ipB'>;

/** The engine cases, each run by live-worker.js in a process of its own. */
export const ENGINE_CASES = {
  count: (lab: LiveLab) => engineCase(lab, 'native', LIVE_ROWS.count, ['-f']),
  following: (lab: LiveLab) => engineCase(lab, 'native', 'bridgescope native (count) after following, ping -f', ['-f'], undefined, () => afterFollowing(lab)),
  write: (lab: LiveLab, dir: string) => engineCase(lab, 'native', LIVE_ROWS.write, ['-f'], writeOnly(join(dir, 'write.pcapng'))),
  'decode-write': (lab: LiveLab, dir: string) => engineCase(lab, 'native', LIVE_ROWS.decodeWrite, ['-f'], decodeAndWrite(join(dir, 'ours.pcapng'))),
  'ui-store': (lab: LiveLab) => engineCase(lab, 'native', LIVE_ROWS.uiStore, ['-f'], uiStore()),
  'count-slow': (lab: LiveLab) => engineCase(lab, 'native', `bridgescope native (count), ping -i ${CAP_SAFE_INTERVAL}`, ['-i', CAP_SAFE_INTERVAL]),
  cap: (lab: LiveLab) => engineCase(lab, 'cap', `cap 0.2.1 (count), ping -i ${CAP_SAFE_INTERVAL}`, ['-i', CAP_SAFE_INTERVAL]),
} satisfies Record<string, (lab: LiveLab, dir: string) => Promise<BenchRow>>;
export type EngineCaseName = keyof typeof ENGINE_CASES;

const FLOOD_CASES: EngineCaseName[] = ['count', 'following', 'write', 'decode-write', 'ui-store'];

/**
 * A case alone in a fresh process, as tcpdump is and as the file cases are. In the bench's own
 * process a case was billed for what the cases before it left (their garbage collected, code
 * compiled on V8's threads) and spared its own cold start: the UI store's CPU there ranged from
 * 0.47 to 0.79 s per M frames between two runs of the same code minutes apart.
 */
async function inOwnProcess(lab: LiveLab, name: EngineCaseName, dir: string): Promise<BenchRow> {
  const run = await timed(process.execPath, [LIVE_WORKER, name, lab.bridge, lab.nsA, lab.ipB, dir], true);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as BenchRow;
}

/** Pings b from a until stopped (or a little after `seconds`, whichever comes first). */
function startPing(lab: LiveLab, rate: string[], seconds = SECONDS): ChildProcess {
  return spawn('ip', ['netns', 'exec', lab.nsA, 'ping', '-q', ...rate, '-w', String(seconds + 3), lab.ipB], {
    stdio: 'ignore',
  });
}

async function stopPing(ping: ChildProcess): Promise<void> {
  if (ping.exitCode !== null) return;
  ping.kill('SIGINT');
  await new Promise((r) => ping.once('exit', r));
}

/** tcpdump -w for SECONDS as a shell command whose stdout carries tcpdump's counters. */
function tcpdumpArgs(lab: NetnsLab, file: string): string[] {
  // -G/-W: rotate once after SECONDS and exit 0. 2>&1: tcpdump's counters come back as stdout.
  return ['-c', `exec tcpdump -i ${lab.bridge} -B 32768 -w ${file} -G ${SECONDS} -W 1 --time-stamp-precision=nano 2>&1`];
}

function tcpdumpRow(name: string, run: ToolRun): BenchRow {
  const count = (what: string) => Number(new RegExp(`(\\d+) packets? ${what}`).exec(run.stdout)?.[1] ?? NaN);
  const frames = count('captured');
  return {
    name,
    frames,
    seconds: run.seconds,
    framesPerSec: frames / run.seconds,
    peakRssMb: run.peakRssMb,
    kernelDrops: count('dropped by kernel'),
    cpuSecPerMFrames: (run.cpuSeconds / frames) * 1e6,
  };
}

/**
 * The CLI as a user runs it, `capture BRIDGE -w F --no-tui` (no names: the bench's bridge has no
 * containers), beside tcpdump -w on the same flood, both for SECONDS, CPU by GNU time. Our frame
 * count is the file's.
 */
export async function cliBesideTcpdump(lab: NetnsLab, dir: string): Promise<BenchRow[]> {
  const ping = startPing(lab, ['-f']);
  const file = join(dir, 'cli.pcapng');
  try {
    const [theirs, ours] = await Promise.all([
      timed('sh', tcpdumpArgs(lab, join(dir, 'beside.pcap')), true),
      timed(process.execPath, [CLI, 'capture', lab.bridge, '-w', file, '--no-tui', '--no-names', '--duration', `${SECONDS}s`]),
    ]);
    let frames = 0;
    for await (const b of openCaptureFile(file)) frames += b.count;
    return [
      tcpdumpRow(LIVE_ROWS.cliTcpdump, theirs),
      { name: LIVE_ROWS.cli, frames, seconds: ours.seconds, framesPerSec: frames / ours.seconds, peakRssMb: ours.peakRssMb, cpuSecPerMFrames: (ours.cpuSeconds / frames) * 1e6 },
    ];
  } finally {
    await stopPing(ping);
  }
}

/** The UI store on a live flood for UI_SECONDS, in its own process (peak RSS by GNU time). */
async function uiFlood(lab: NetnsLab): Promise<UiFlood> {
  const ping = startPing(lab, ['-f'], UI_SECONDS);
  try {
    const run = await timed(process.execPath, [UI_FLOOD, lab.bridge, String(UI_SECONDS)], true);
    const r = JSON.parse(run.stdout.trim().split('\n').pop()!) as {
      frames: number; seconds: number; kernelDrops: number; ringArenaMb: number; spillIndexMb: number; rates: UiFlood['rates'];
    };
    return {
      row: {
        name: `UI store, live ping -f for ${UI_SECONDS} s (own process)`,
        frames: r.frames,
        seconds: r.seconds,
        framesPerSec: r.frames / r.seconds,
        peakRssMb: run.peakRssMb,
        kernelDrops: r.kernelDrops,
        cpuSecPerMFrames: (run.cpuSeconds / r.frames) * 1e6,
      },
      ringArenaMb: r.ringArenaMb,
      spillIndexMb: r.spillIndexMb,
      rates: r.rates,
    };
  } finally {
    await stopPing(ping);
  }
}

export async function tcpdumpCase(lab: NetnsLab, file: string): Promise<BenchRow> {
  const ping = startPing(lab, ['-f']);
  try {
    return tcpdumpRow(LIVE_ROWS.tcpdump, await timed('sh', tcpdumpArgs(lab, file), true));
  } finally {
    await stopPing(ping);
  }
}

/** What a case does with each batch besides counting; `done` releases what it holds. */
export interface Work {
  onBatch(b: FrameBatch): void;
  done(): void;
}

/** What `capture -w` does when nothing reads the frames: the batches into a pcapng, no decode. */
export function writeOnly(file: string): Work {
  const writer = new PcapngWriter(file);
  return { onBatch: (b) => writer.writeBatch(b), done: () => writer.close() };
}

/** The capture command's path when frames are also read: decode every frame and write it to a pcapng. */
export function decodeAndWrite(file: string): Work {
  const dec = new FrameDecoder();
  const writer = new PcapngWriter(file);
  let sink = 0;
  return {
    onBatch: (b) => {
      for (let i = 0; i < b.count; i++) sink += dec.decodeFrame(b, i).etherType;
      writer.writeBatch(b);
    },
    done: () => {
      writer.close();
      if (sink === 0) throw new Error('decode+write case decoded nothing');
    },
  };
}

/** The UI's path without a terminal: every batch into the store (ring, counters, analyzer). */
function uiStore(): Work {
  const store = new TuiStore({ resolver: noNames, analysis: analyzerFeed(noNames, DEFAULT_RING_FRAMES) });
  return { onBatch: (b) => store.ingest(b), done: () => store.dispose() };
}

/**
 * The engine as a followed container leaves it: opened with no interface (holdOpen), a veth
 * added and then deleted (a restart's old veth), then the bridge added. Following itself acts on
 * Docker events only; what could cost per frame is the merge keeping the gone lane around.
 */
async function afterFollowing(lab: LiveLab): Promise<LiveCapture> {
  const src = openCapture([], { bufferSize: BUFFER, holdOpen: true });
  const veth = `${LAB.ifPrefix}f0`;
  execFileSync('ip', ['link', 'add', veth, 'type', 'veth', 'peer', 'name', `${LAB.ifPrefix}f1`]);
  execFileSync('ip', ['link', 'set', veth, 'up']);
  src.addInterface(veth);
  execFileSync('ip', ['link', 'del', veth]);
  for (let i = 0; i < 100 && src.endReasons().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  if (src.endReasons().length === 0) throw new Error(`the bench's ${veth} lane did not end`);
  src.addInterface(lab.bridge);
  return src;
}

type LiveCapture = ReturnType<typeof openCapture>;
const RSS_SAMPLE_MS = 100;
const BUFFER = 32 * 1024 * 1024;

export async function engineCase(
  lab: LiveLab,
  engine: CaptureEngine,
  name: string,
  rate: string[],
  work?: Work,
  open: () => Promise<LiveCapture> = async () => openCapture([lab.bridge], { engine, bufferSize: BUFFER }),
): Promise<BenchRow> {
  const ping = startPing(lab, rate);
  const src = await open();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + SECONDS * 1000;
  let frames = 0;
  let bytes = 0;
  let worstLatencyMs = 0;
  let peakRss = process.memoryUsage.rss();
  // RSS is read from /proc (a few syscalls): sampled, not read per batch, so as not to bill them to the capture.
  let nextRssMs = 0;
  try {
    for await (const b of src) {
      // Delivery latency: wall clock now minus the kernel's timestamp of the batch's oldest frame.
      const latency = Date.now() - (b.tsSec[0] * 1000 + b.tsNsec[0] / 1e6);
      if (frames > 0 && latency > worstLatencyMs) worstLatencyMs = latency;
      frames += b.count;
      for (let i = 0; i < b.count; i++) bytes += b.capLen[i];
      work?.onBatch(b);
      const now = performance.now();
      if (now >= nextRssMs) {
        peakRss = Math.max(peakRss, process.memoryUsage.rss());
        nextRssMs = now + RSS_SAMPLE_MS;
      }
      if (now >= end) break;
    }
  } finally {
    await src.close();
    await stopPing(ping);
    work?.done();
  }
  const seconds = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu0);
  const stats = src.stats().find((s) => s.interface === lab.bridge)!;
  const drops = stats.droppedByKernel + stats.droppedByInterface;
  return {
    name,
    frames,
    seconds,
    framesPerSec: frames / seconds,
    kernelDrops: Number.isNaN(drops) ? undefined : drops,
    peakRssMb: work ? peakRss / (1024 * 1024) : undefined,
    cpuSecPerMFrames: frames > 0 ? ((used.user + used.system) / 1e6 / frames) * 1e6 : undefined,
    note:
      engine === 'cap'
        ? 'cap: no pcap_stats (drops unknown), timestamps taken in JS; aborts under ping -f'
        : `worst delivery latency ${worstLatencyMs.toFixed(1)} ms; ${(bytes / 1e6).toFixed(0)} MB`,
  };
}
