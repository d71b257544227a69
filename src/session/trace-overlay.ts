import { DockerClient, dockerode } from '../docker/client.js';
import { DaemonsResolver, type Daemon } from '../docker/daemons.js';
import { BridgescopeError } from '../errors.js';
import { FrameDecoder, formatMacNumber } from '../decode/index.js';
import { readLearnedMacs } from '../host/host-net.js';
import { forgetNeighbour } from '../host/netns.js';
import type { ContainerInfo, Topology } from '../model/topology.js';
import { TextFormatter } from '../present/text-line.js';
import { copyFrame, type OwnedFrame } from '../source/frame-batch.js';
import { TeeSource } from '../source/tee-source.js';
import type { CaptureWriter } from '../pcap/capture-writer.js';
import { createCaptureWriter } from '../pcap/create-writer.js';
import { startLiveSession } from './live-session.js';
import { NetnsCapture } from './trace-overlay-capture.js';
import { firewallAccess, overlayFirewallReasons, readFirewalls } from './trace-overlay-firewall.js';
import { writeOverlayTrace } from './trace-overlay-file.js';
import { planOverlayTrace, type OverlayPath } from './trace-overlay-plan.js';
import { judgeOverlay } from './trace-overlay-verdict.js';
import { runsHere, swarmNodeAddresses, underlayInterfaces, vxlanFilter, type Underlay } from './overlay-points.js';
import { tallyHops } from './trace-hops.js';
import { pingFrom, type PingOptions, type PingRun } from './trace-ping.js';
import type { TraceHop, TracePlan } from './trace-plan.js';
import type { TraceOptions, TraceResult } from './trace.js';

const SETTLE_MS = 300;
const TAIL_MS = 300;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `trace A B -H host1 -H host2`: A and B on different Docker hosts, joined by an overlay. The
 * echo requests are watched on A's own interface (inside its namespace), on every interface of
 * this machine the VXLAN between the hosts' underlay addresses crosses, and on B's interface;
 * the verdict says on which side of the underlay they stopped, and why names a rule of either
 * host's firewall (read where this machine can) whose counter moved with the VXLAN. A container
 * whose process is not on this machine is pinged through its daemon's exec and its hop is not
 * captured.
 */
export async function runOverlayTrace(opts: TraceOptions, daemons: readonly Daemon[]): Promise<TraceResult> {
  const ping: PingOptions = { count: opts.count ?? 3, intervalS: opts.interval ?? 0.2, size: opts.size ?? 56, timeoutS: opts.timeout ?? 1 };
  const clients = new Map(daemons.map((d) => [d.name, new DockerClient(new (dockerode())(d.options))]));
  const names = await DaemonsResolver.start(daemons, { onNotice: opts.onNotice });
  try {
    const topology = names.snapshot();
    if (!topology) throw new BridgescopeError('BS_DOCKER_DOWN', `none of the Docker hosts answered (${daemons.map((d) => d.name).join(', ')})`);
    const underlays = await swarmNodeAddresses(clients);
    const { plan, overlay } = planOverlayTrace(topology, opts.from, opts.to, underlays);
    const done = (rest: Omit<Partial<TraceResult>, 'plan'> & { plan?: TracePlan }): TraceResult => {
      const p = rest.plan ?? plan;
      const hops = rest.hops ?? [];
      const verdict = judgeOverlay(p, overlay, hops, rest.ping, ping.count);
      return { frames: [], interfaces: [], cold: false, ...rest, plan: p, hops, met: verdict.met, verdict, reasons: [], overlay };
    };
    if (plan.blockers.length || !overlay || !plan.toIp) return done({});
    const access = await Promise.all(daemons.filter((d) => d.name === overlay.fromHost || d.name === overlay.toHost).map((d) => firewallAccess(d, opts.ssh)));
    // Opened first, so a path that cannot be written stops the trace before anything runs.
    const writer = opts.write ? createCaptureWriter(opts.write, { comment: 'bridgescope trace across hosts' }) : undefined;
    try {
      const before = await readFirewalls(access);
      const r = done(await watch(plan, overlay, ping, clients.get(overlay.fromHost)!, names, opts, writer && { writer, topology }));
      return r.met ? r : { ...r, reasons: overlayFirewallReasons(overlay, before, await readFirewalls(access)) };
    } finally {
      writer?.close();
    }
  } finally {
    await names.close();
  }
}

async function watch(plan: TracePlan, o: OverlayPath, ping: PingOptions, client: DockerClient, names: DaemonsResolver, opts: TraceOptions, file?: { writer: CaptureWriter; topology: Topology }) {
  const [src, dst] = plan.hops;
  const [aLocal, bLocal] = await Promise.all([runsHere(plan.from), runsHere(plan.to!)]);
  const ends = o.fromUnderlay && o.toUnderlay ? [o.fromUnderlay, o.toUnderlay] : [];
  const underlay = await underlayInterfaces(ends);
  const filter = vxlanFilter(ends, o.vni !== undefined ? [o.vni] : []);
  const session = underlay.all.length ? await startLiveSession({ targets: underlay.all, filter, names: false, onNotice: opts.onNotice }) : undefined;
  const frames: OwnedFrame[] = [];
  let interfaces: string[] = [];
  const collector = session && new TeeSource(session.source, {
    onBatch: (b) => {
      interfaces = b.interfaces.map((i) => i.name ?? '');
      for (let i = 0; i < b.count; i++) frames.push(copyFrame(b, i));
    },
  });
  const draining = collector ? drain(collector) : Promise.resolve();
  const why = new Map<string, string>();
  const inside = async (hop: TraceHop, c: ContainerInfo, isLocal: boolean, host: string) => {
    if (!isLocal) return void why.set(hop.interface, `${c.name}'s process is not on this machine (host ${host}): its namespace cannot be entered from here`);
    const r = await NetnsCapture.start(c.pid!, hop.interface.split('@')[0], 'arp or icmp', c.name);
    if (typeof r === 'string') return void why.set(hop.interface, r);
    return r;
  };
  const captures = await Promise.all([inside(src, plan.from, aLocal, o.fromHost), inside(dst, plan.to!, bLocal, o.toHost)]);
  let run: PingRun;
  let startMs: number;
  let cold = false;
  try {
    if (opts.cold && aLocal) {
      const r = await forgetNeighbour(plan.from.pid!, plan.toIp!);
      cold = r.code === 0;
      if (!cold) opts.onNotice?.(`could not forget ${plan.from.name}'s neighbour entry for ${plan.toIp}: ${r.stderr.trim()}`);
    }
    await sleep(SETTLE_MS);
    startMs = Date.now();
    // A pid from another machine's daemon is no process here: ping through that daemon's exec.
    run = await pingFrom(client, aLocal ? plan.from : { ...plan.from, pid: undefined }, plan.toIp!, ping, aLocal ? opts.via : 'exec');
    await sleep(TAIL_MS);
  } finally {
    await session?.stop();
    await draining;
  }
  const netnsFrames = await Promise.all(captures.map((c) => c?.stop() ?? []));
  [src, dst].forEach((hop, k) => {
    const ifIndex = interfaces.length;
    interfaces.push(hop.interface);
    for (const f of netnsFrames[k]) frames.push({ ...f, ifIndex });
  });
  frames.sort((x, y) => x.tsSec - y.tsSec || x.tsNsec - y.tsNsec);
  const hops = [src, ...(await orderUnderlay(underlay, o, frames, interfaces)), dst];
  const full: TracePlan = { ...plan, hops, bridges: hops.filter((h) => h.role === 'underlay').map((h) => h.interface) };
  const reports = tallyHops(full, frames, interfaces, startMs, new Set(why.keys()));
  for (const r of reports) r.why = why.get(r.hop.interface);
  if (opts.out) printLines(opts.out, frames, interfaces, names);
  if (file) writeOverlayTrace(file.writer, frames, interfaces, full, o, file.topology);
  return { plan: full, hops: reports, frames, interfaces, ping: run, cold };
}

/**
 * A's port, the bridge, B's port: the ports are told by the bridge's learned MACs, matched to the
 * underlay MACs the VXLAN between the two addresses carried. A port neither host is behind is no
 * hop of this trace and is left out.
 */
async function orderUnderlay(underlay: Underlay, o: OverlayPath, frames: OwnedFrame[], interfaces: string[]): Promise<TraceHop[]> {
  const hop = (name: string, label: string): TraceHop => ({ interface: name, role: 'underlay', label });
  const bridge = underlay.bridge;
  if (!bridge) return underlay.all.map((d) => hop(d, `underlay ${d}`));
  const macs = new Map<string, string>();
  const dec = new FrameDecoder();
  for (const f of frames) {
    if (!underlay.all.includes(interfaces[f.ifIndex])) continue;
    const d = dec.decode(f.bytes, f.linkType, f.origLen);
    if (d.vxlan.count === 0) continue;
    const ip = d.vxlan.outerIpv4(0);
    const src = ip.src;
    const dstIp = ip.dst;
    const eth = d.vxlan.outerEth(0);
    if (!eth) continue;
    macs.set(src, formatMacNumber(eth.srcNum));
    macs.set(dstIp, formatMacNumber(eth.dstNum));
  }
  const fdb = await readLearnedMacs(bridge);
  const portOf = (ip?: string) => (ip && macs.has(ip) ? fdb.find((e) => e.mac === macs.get(ip))?.port : undefined);
  const pa = portOf(o.fromUnderlay);
  const pb = portOf(o.toUnderlay);
  return [
    ...(pa ? [hop(pa, `${o.fromHost}'s underlay port ${pa}`)] : []),
    hop(bridge, `underlay ${bridge}`),
    ...(pb && pb !== pa ? [hop(pb, `${o.toHost}'s underlay port ${pb}`)] : []),
  ];
}

function printLines(out: NonNullable<TraceOptions['out']>, frames: OwnedFrame[], interfaces: string[], names: DaemonsResolver): void {
  const lines = new TextFormatter({ resolver: names, showInterface: true });
  const dec = new FrameDecoder();
  let chunk = '';
  for (const f of frames) chunk += lines.line(dec.decode(f.bytes, f.linkType, f.origLen), f.tsSec, f.tsNsec, interfaces[f.ifIndex]) + '\n';
  if (chunk) out.write(chunk);
}

async function drain(source: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of source);
}
