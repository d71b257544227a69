import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noNames } from '../model/endpoint.js';
import { openCapture, type CaptureEngine } from '../capture/index.js';
import { FrameDecoder } from '../decode/index.js';
import { PcapngWriter } from '../pcap/pcapng-writer.js';
import type { FrameBatch } from '../source/frame-batch.js';
import { analyzerFeed } from '../tui/store/analyzer-feed.js';
import { DEFAULT_RING_FRAMES } from '../tui/store/frame-ring.js';
import { TuiStore } from '../tui/store/tui-store.js';
import { createNetnsLab, type NetnsLab } from './netns-lab.js';
import type { BenchRow } from './row.js';
import { timed } from './tools.js';

/**
 * The live cases of `npm run bench`: a flood ping between two namespaces of the bench's own on a
 * bridge of its own, captured for SECONDS by tcpdump -w (the reference), by our native engine, and
 * by cap at a rate it survives (it aborts under a flood; see src/capture/cap-source.ts). CPU is
 * counted alike: tcpdump's by GNU time, ours by process.cpuUsage over the capture only.
 * Prints nothing; the driver prints the table.
 */
const SECONDS = 10;
/** cap's rate: one echo a millisecond, about 2,000 frames/s on the bridge with the replies. */
const CAP_SAFE_INTERVAL = '0.001';
const LAB = { nsPrefix: 'bslive-', ifPrefix: 'bslive', subnet: '10.204.1' };

export async function benchLive(): Promise<BenchRow[]> {
  const lab = createNetnsLab(LAB);
  const dir = mkdtempSync(join(tmpdir(), 'bslive-'));
  try {
    return [
      await tcpdumpCase(lab, join(dir, 'flood.pcap')),
      await engineCase(lab, 'native', 'bridgescope native (count), ping -f', ['-f']),
      await engineCase(lab, 'native', 'bridgescope native (count) after following, ping -f', ['-f'], undefined, () => afterFollowing(lab)),
      await engineCase(lab, 'native', 'bridgescope native decode+write, ping -f', ['-f'], decodeAndWrite(join(dir, 'ours.pcapng'))),
      await engineCase(lab, 'native', 'bridgescope native + UI store, ping -f', ['-f'], uiStore()),
      await engineCase(lab, 'native', `bridgescope native (count), ping -i ${CAP_SAFE_INTERVAL}`, ['-i', CAP_SAFE_INTERVAL]),
      await engineCase(lab, 'cap', `cap 0.2.1 (count), ping -i ${CAP_SAFE_INTERVAL}`, ['-i', CAP_SAFE_INTERVAL]),
    ];
  } finally {
    lab.teardown();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Pings b from a until stopped (or a little after the capture's end, whichever comes first). */
function startPing(lab: NetnsLab, rate: string[]): ChildProcess {
  return spawn('ip', ['netns', 'exec', lab.nsA, 'ping', '-q', ...rate, '-w', String(SECONDS + 3), lab.ipB], {
    stdio: 'ignore',
  });
}

async function stopPing(ping: ChildProcess): Promise<void> {
  if (ping.exitCode !== null) return;
  ping.kill('SIGINT');
  await new Promise((r) => ping.once('exit', r));
}

async function tcpdumpCase(lab: NetnsLab, file: string): Promise<BenchRow> {
  const ping = startPing(lab, ['-f']);
  try {
    // -G/-W: rotate once after SECONDS and exit 0. 2>&1: tcpdump's counters come back as stdout.
    const run = await timed(
      'sh',
      ['-c', `exec tcpdump -i ${lab.bridge} -B 32768 -w ${file} -G ${SECONDS} -W 1 --time-stamp-precision=nano 2>&1`],
      true,
    );
    const count = (what: string) => Number(new RegExp(`(\\d+) packets? ${what}`).exec(run.stdout)?.[1] ?? NaN);
    const frames = count('captured');
    return {
      name: 'tcpdump -w, ping -f',
      frames,
      seconds: run.seconds,
      framesPerSec: frames / run.seconds,
      peakRssMb: run.peakRssMb,
      kernelDrops: count('dropped by kernel'),
      cpuSecPerMFrames: (run.cpuSeconds / frames) * 1e6,
    };
  } finally {
    await stopPing(ping);
  }
}

/** What a case does with each batch besides counting; `done` releases what it holds. */
interface Work {
  onBatch(b: FrameBatch): void;
  done(): void;
}

/** The capture command's path: decode every frame and write it to a pcapng. */
function decodeAndWrite(file: string): Work {
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
async function afterFollowing(lab: NetnsLab): Promise<LiveCapture> {
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
const BUFFER = 32 * 1024 * 1024;

async function engineCase(
  lab: NetnsLab,
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
  try {
    for await (const b of src) {
      // Delivery latency: wall clock now minus the kernel's timestamp of the batch's oldest frame.
      const latency = Date.now() - (b.tsSec[0] * 1000 + b.tsNsec[0] / 1e6);
      if (frames > 0 && latency > worstLatencyMs) worstLatencyMs = latency;
      frames += b.count;
      for (let i = 0; i < b.count; i++) bytes += b.capLen[i];
      work?.onBatch(b);
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      if (performance.now() >= end) break;
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
