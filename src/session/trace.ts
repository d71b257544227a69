import { Writable } from 'node:stream';
import { analyzeFrames } from '../analyze/analyze-source.js';
import type { AnalysisReport } from '../analyze/analyzer.js';
import type { Resolver } from '../model/endpoint.js';
import { sequence } from '../expect/expectation.js';
import { matchExpectation } from '../expect/match-expectation.js';
import { formatMatchReport } from '../expect/match-report.js';
import type { MatchResult } from '../expect/matcher.js';
import { dockerClient } from '../docker/client.js';
import { execInContainer, type ExecResult } from '../docker/exec.js';
import { loadTopology } from '../docker/topology.js';
import { FrameDecoder } from '../decode/index.js';
import { printFrames } from '../present/frame-printer.js';
import { copyFrame, type OwnedFrame } from '../source/frame-batch.js';
import { TeeSource } from '../source/tee-source.js';
import { startLiveSession } from './live-session.js';
import { planTrace, type TracePlan } from './trace-plan.js';

export interface TraceOptions {
  from: string;
  to: string;
  /** Echo requests to send (ping -c). */
  count?: number;
  /** Keep the capture in this file. */
  write?: string;
  /** Where the frame lines go while the ping runs (default: nowhere). */
  out?: Writable;
  onNotice?: (message: string) => void;
}

export interface TraceResult {
  plan: TracePlan;
  met: boolean;
  /** Why the verdict is what it is, one sentence each. */
  reasons: string[];
  frames: OwnedFrame[];
  ping?: ExecResult;
  match?: MatchResult;
  report?: AnalysisReport;
}

const SETTLE_MS = 300;
const TAIL_MS = 500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The seed's experiment in one call: capture on the bridge A and B share (or both of theirs), run
 * `ping -c N` in A towards B through Docker's exec API, and judge what crossed the wire: ARP
 * resolution when the cache was cold, N echo requests and N replies.
 */
export async function runTrace(opts: TraceOptions): Promise<TraceResult> {
  const count = opts.count ?? 3;
  const client = dockerClient();
  const plan = planTrace(await loadTopology({ client }), opts.from, opts.to);
  if (plan.blockers.length > 0 || !plan.fromIp || !plan.toIp) {
    return { plan, met: false, reasons: plan.blockers, frames: [] };
  }
  const session = await startLiveSession({ targets: plan.bridges, filter: 'arp or icmp', write: opts.write, onNotice: opts.onNotice });
  const frames: OwnedFrame[] = [];
  const collector = new TeeSource(session.source, {
    onBatch: (b) => {
      for (let i = 0; i < b.count; i++) frames.push(copyFrame(b, i));
    },
  });
  const sink = opts.out ?? devNull();
  const printing = printFrames(collector, { out: sink, resolver: session.resolver });
  let ping: ExecResult;
  try {
    await sleep(SETTLE_MS);
    // -W 1: busybox ping otherwise waits 10 s for replies after the last request, whatever -w says.
    ping = await execInContainer(client, plan.from.id, ['ping', '-c', String(count), '-w', String(count + 2), '-W', '1', plan.toIp]);
    await sleep(TAIL_MS);
  } finally {
    await session.stop();
    await printing;
  }
  return judge(plan, count, frames, ping, session.resolver);
}

function judge(plan: TracePlan, count: number, frames: OwnedFrame[], ping: ExecResult, resolver: Resolver): TraceResult {
  const a = plan.fromIp!;
  const b = plan.toIp!;
  const expectation = sequence();
  if (coldArp(frames, a, b)) expectation.arp('request', a, b).arp('reply', b, a).within('1s');
  expectation.anyOrder((g) => g.icmp('echo-request', a, b).times(count).icmp('echo-reply', b, a).times(count));
  const match = matchExpectation(frames, expectation, { resolver });
  const report = analyzeFrames(frames, { resolver });
  const reasons: string[] = [];
  // Matching is by address (names may be missing if Docker went away); the reason reads by name.
  const ip = (x: string) => new RegExp(`(?<![\\d.])${x.replaceAll('.', '\\.')}(?![\\d])`, 'g');
  const named = (text: string) => text.replace(ip(a), `${plan.from.name} (${a})`).replace(ip(b), `${plan.to.name} (${b})`);
  if (!match.ok) reasons.push(named(formatMatchReport(match).split('\n')[0]));
  if (ping.exitCode !== 0) reasons.push(`ping in ${plan.from.name} exited ${ping.exitCode}: ${lastLine(ping.stdout + ping.stderr)}`);
  if (!match.ok && plan.bridges.length > 1) reasons.push(whereItStopped(plan, frames));
  return { plan, met: match.ok && ping.exitCode === 0, reasons, frames, ping, match, report };
}

/** An ARP request from A for B's address opens the trace: the cache was cold. */
function coldArp(frames: OwnedFrame[], a: string, b: string): boolean {
  const dec = new FrameDecoder();
  return frames.some((fr) => {
    const f = dec.decode(fr.bytes, fr.linkType, fr.origLen);
    return f.arp?.hasIpv4 === true && f.arp.operation === 1 && f.arp.senderIp === a && f.arp.targetIp === b;
  });
}

/** Across two bridges: did the requests reach the second bridge at all? */
function whereItStopped(plan: TracePlan, frames: OwnedFrame[]): string {
  const dec = new FrameDecoder();
  const seen = new Map<number, number>();
  for (const fr of frames) {
    const f = dec.decode(fr.bytes, fr.linkType, fr.origLen);
    if (f.icmp?.type === 8 && f.ipv4?.dst === plan.toIp) seen.set(fr.ifIndex, (seen.get(fr.ifIndex) ?? 0) + 1);
  }
  if (seen.size >= 2) return `echo requests crossed both bridges (${plan.bridges.join(', ')}); the replies did not come back`;
  if (seen.size === 1) {
    return `echo requests were seen on one bridge only: the host did not forward them between ${plan.bridges.join(' and ')} (Docker isolates bridge networks from each other; connect both containers to one network)`;
  }
  return `no echo request left ${plan.from.name}`;
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}

function devNull(): Writable {
  return new Writable({ write: (_chunk, _enc, done) => done() });
}
