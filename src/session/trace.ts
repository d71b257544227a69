import type { Writable } from 'node:stream';
import type { Topology } from '../model/topology.js';
import { dockerClient, type DockerClient } from '../docker/client.js';
import { loadTopology } from '../docker/topology.js';
import { FrameDecoder } from '../decode/index.js';
import { readBridgeNetfilter } from '../host/bridge-netfilter.js';
import { readIptables } from '../host/iptables.js';
import { readLinkState } from '../host/link.js';
import { forgetNeighbour } from '../host/netns.js';
import { readNetnsIpv6 } from '../host/netns-ipv6.js';
import { TextFormatter } from '../present/text-line.js';
import { copyFrame, type OwnedFrame } from '../source/frame-batch.js';
import { TeeSource } from '../source/tee-source.js';
import { startLiveSession } from './live-session.js';
import { tallyHops, type HopReport } from './trace-hops.js';
import { pingFrom, type PingOptions, type PingRun, type PingVia } from './trace-ping.js';
import { planTrace6 } from './trace-ipv6-plan.js';
import { planTrace, type TracePlan } from './trace-plan.js';
import { traceReasons, type HostFacts, type TraceReason } from './trace-reasons.js';
import { judgeHops, type TraceVerdict } from './trace-verdict.js';
import type { Daemon } from '../docker/daemons.js';
import type { SshCommandOptions } from '../capture/remote-target.js';
import type { OverlayPath } from './trace-overlay-plan.js';

export interface TraceOptions {
  from: string;
  /** A container (any name form), an IPv4 or IPv6 address, `gateway` or `host`. */
  to: string;
  /** Ping -6 over a dual-stack network, Neighbor Discovery read where ARP is (an IPv6 address as `to` implies it). */
  ipv6?: boolean;
  /** Echo requests to send (ping -c). */
  count?: number;
  /** Seconds between requests (ping -i); default 0.2. */
  interval?: number;
  /** ICMP payload bytes (ping -s); default 56. */
  size?: number;
  /** Seconds to wait for a reply (ping -W); default 1. */
  timeout?: number;
  /** Forget A's neighbour entry for the next hop first, so ARP is seen before the echoes. */
  cold?: boolean;
  /** Force how the echo requests are sent (default: the host's ping in A's namespace, else A's own). */
  via?: PingVia;
  /** Keep every hop's copy of every frame in this file. */
  write?: string;
  /** Where the frame lines go while the ping runs (default: nowhere). */
  out?: Writable;
  onNotice?: (message: string) => void;
  /** Names from these daemons (-H/--context): A and B on different hosts, traced across their overlay. */
  daemons?: readonly Daemon[];
  /** How the user's ssh reaches an ssh:// daemon's host, whose firewall the verdict reads. */
  ssh?: SshCommandOptions;
}

export interface TraceResult {
  plan: TracePlan;
  met: boolean;
  verdict: TraceVerdict;
  hops: HopReport[];
  /** Why it failed, read from the host and Docker; empty when met. */
  reasons: TraceReason[];
  /** Every hop's copy of every frame, in time order; `interfaces[frame.ifIndex]` names the hop. */
  frames: OwnedFrame[];
  interfaces: string[];
  ping?: PingRun;
  host?: HostFacts;
  /** The neighbour entry was removed before the ping (--cold). */
  cold: boolean;
  /** Across hosts: the overlay the trace crossed and the hosts' underlay addresses. */
  overlay?: OverlayPath;
}

const SETTLE_MS = 300;
const TAIL_MS = 300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The seed's experiment, every hop at once: capture on A's host veth, each bridge on the way and
 * B's host veth in one timeline, ping from A's namespace, and tell from each hop's copies where
 * the packets stopped, with the host's own account of why (firewall counters, links, Docker's
 * network options). Read-only towards the firewall.
 */
export async function runTrace(opts: TraceOptions): Promise<TraceResult> {
  if (opts.daemons?.length) return (await import('./trace-overlay.js')).runOverlayTrace(opts, opts.daemons);
  const ping: PingOptions = { count: opts.count ?? 3, intervalS: opts.interval ?? 0.2, size: opts.size ?? 56, timeoutS: opts.timeout ?? 1 };
  const client = dockerClient();
  const topology = await loadTopology({ client });
  const plan = opts.ipv6 || opts.to.includes(':') ? planTrace6(topology, opts.from, opts.to) : planTrace(topology, opts.from, opts.to);
  const done = (rest: Partial<TraceResult> & { frames: OwnedFrame[]; interfaces: string[] }): TraceResult => {
    const hops = rest.hops ?? [];
    const verdict = judgeHops(plan, hops, rest.ping, ping.count, (mac) => topology.endpoints.find((e) => e.mac === mac)?.container);
    return { plan, hops, cold: false, ...rest, met: verdict.met, verdict, reasons: traceReasons(plan, verdict, hops, rest.ping, rest.host, topology) };
  };
  if (plan.blockers.length > 0 || !plan.toIp) return done({ frames: [], interfaces: [] });
  if (plan.loopback) return done({ frames: [], interfaces: [], ping: await pingFrom(client, plan.from, plan.toIp, ping, opts.via) });

  const cold = opts.cold === true && plan.from.pid !== undefined && plan.nextHopIp !== undefined;
  if (cold) {
    const r = await forgetNeighbour(plan.from.pid!, plan.nextHopIp!);
    if (r.code !== 0) opts.onNotice?.(`could not forget ${plan.from.name}'s neighbour entry for ${plan.nextHopIp}: ${r.stderr.trim()}`);
  }
  const before = await readIptables(plan.family ?? 4);
  const ifaces = [...new Set(plan.hops.map((h) => h.interface))];
  // libpcap refuses an interface that is down; it passes nothing, so the hop stays empty and the link state says why.
  const down = new Set((await Promise.all(ifaces.map((i) => readLinkState(i)))).filter((s) => s.adminUp !== true).map((s) => s.name));
  const session = await startLiveSession({ targets: ifaces.filter((i) => !down.has(i)), filter: plan.family === 6 ? 'icmp6' : 'arp or icmp', write: opts.write, onNotice: opts.onNotice });
  const frames: OwnedFrame[] = [];
  const lines = new TextFormatter({ resolver: session.resolver, showInterface: true });
  const dec = new FrameDecoder();
  let interfaces: string[] = [];
  const collector = new TeeSource(session.source, {
    onBatch: (b) => {
      interfaces = b.interfaces.map((i) => i.name ?? '');
      let chunk = '';
      for (let i = 0; i < b.count; i++) {
        const fr = copyFrame(b, i);
        frames.push(fr);
        if (opts.out) chunk += lines.line(dec.decode(fr.bytes, fr.linkType, fr.origLen), fr.tsSec, fr.tsNsec, interfaces[fr.ifIndex]) + '\n';
      }
      if (chunk) opts.out?.write(chunk);
    },
  });
  const draining = drain(collector);
  let run: PingRun;
  let startMs: number;
  try {
    await sleep(SETTLE_MS);
    startMs = Date.now();
    run = await pingFrom(client, plan.from, plan.toIp, ping, opts.via);
    await sleep(TAIL_MS);
  } finally {
    await session.stop();
    await draining;
  }
  const host = await hostFacts(plan, before, client, topology);
  const hops = tallyHops(plan, frames, interfaces, startMs, down);
  return done({ hops, frames, interfaces, ping: run, host, cold });
}

async function drain(source: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of source);
}

async function hostFacts(plan: TracePlan, before: HostFacts['before'], client: DockerClient, t: Topology): Promise<HostFacts> {
  const [after, links, bridgeNetfilter, iccDisabled, targetIpv6] = await Promise.all([
    readIptables(plan.family ?? 4),
    Promise.all(plan.hops.map((h) => readLinkState(h.interface))),
    readBridgeNetfilter(),
    iccDisabledOnPath(plan, client, t),
    plan.family === 6 && plan.to?.pid !== undefined ? readNetnsIpv6(plan.to.pid) : undefined,
  ]);
  return { before, after, links, bridgeNetfilter, iccDisabled, targetIpv6 };
}

/** Docker keeps enable_icc in the network's options, which the topology does not carry. */
async function iccDisabledOnPath(plan: TracePlan, client: DockerClient, t: Topology): Promise<string[]> {
  const shared = plan.toNetwork && plan.fromNetwork?.id === plan.toNetwork.id ? plan.fromNetwork : undefined;
  if (!shared || !t.networks.some((n) => n.id === shared.id)) return [];
  const info = await client.call(`inspect network ${shared.name}`, (d) => d.getNetwork(shared.id).inspect() as Promise<{ Options?: Record<string, string> }>);
  return info.Options?.['com.docker.network.bridge.enable_icc'] === 'false' ? [shared.name] : [];
}
