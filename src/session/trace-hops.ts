import { ArpOp, FrameDecoder, IcmpType, formatMacNumber } from '../decode/index.js';
import type { OwnedFrame } from '../source/frame-batch.js';
import { ipv6Sighting, type Ipv6Sighting } from './trace-ipv6-hops.js';
import type { TraceHop, TracePlan } from './trace-plan.js';

/** How often one kind of packet was seen on one hop, and when (ms since the ping started). */
export interface Sighting {
  count: number;
  firstMs?: number;
  lastMs?: number;
}

/** An ICMP error about the trace's packets: who sent it and what it said. */
export interface IcmpErrorSeen {
  from: string;
  type: number;
  code: number;
}

/** What one interface saw of the trace, from its own copies of the frames. */
export interface HopReport {
  hop: TraceHop;
  /** ARP who-has and is-at; under `trace -6` the neighbor solicitations and advertisements. */
  arpRequests: Sighting;
  arpReplies: Sighting;
  echoRequests: Sighting;
  echoReplies: Sighting;
  errors: Sighting & { seen: IcmpErrorSeen[] };
  /**
   * MACs that stand for the pinged address on this hop: its ARP replies' sender, and on a shared
   * link its echo replies' source and A's echo requests' destination.
   */
  answeringMacs: string[];
  /** False when the interface could not be captured on (it was down): its counts are zero because nothing passed it. */
  captured: boolean;
  /** Why it was not captured, when not because it was down (a container on another machine). */
  why?: string;
}

const sighting = (): Sighting => ({ count: 0 });

function see(s: Sighting, ms: number): void {
  s.count++;
  s.firstMs = s.firstMs === undefined ? ms : Math.min(s.firstMs, ms);
  s.lastMs = s.lastMs === undefined ? ms : Math.max(s.lastMs, ms);
}

/**
 * Tallies the captured frames per capturing interface: each hop's own copy counts on that hop, so
 * a request seen on A's veth and the bridge but not on B's veth shows where it stopped.
 * `interfaces` maps a frame's ifIndex to the interface name; `startMs` is when the ping began.
 */
export function tallyHops(plan: TracePlan, frames: readonly OwnedFrame[], interfaces: readonly string[], startMs: number, uncaptured: ReadonlySet<string>): HopReport[] {
  const reports = plan.hops.map<HopReport>((hop) => ({
    hop, arpRequests: sighting(), arpReplies: sighting(), echoRequests: sighting(), echoReplies: sighting(),
    errors: { count: 0, seen: [] }, answeringMacs: [], captured: !uncaptured.has(hop.interface),
  }));
  const byName = new Map(reports.map((r) => [r.hop.interface, r]));
  const asked = new Set([plan.nextHopIp, plan.toIp].filter((x): x is string => x !== undefined));
  const direct = plan.nextHopIp === plan.toIp;
  const dec = new FrameDecoder();
  for (const fr of frames) {
    const r = byName.get(interfaces[fr.ifIndex] ?? '');
    if (!r) continue;
    const ms = fr.tsSec * 1e3 + fr.tsNsec / 1e6 - startMs;
    const f = dec.decode(fr.bytes, fr.linkType, fr.origLen);
    if (plan.family === 6) {
      const s = ipv6Sighting(f, plan, asked, direct, r.hop);
      if (s) seeIpv6(r, s, ms);
    } else if (f.arp?.hasIpv4) {
      if (f.arp.operation === ArpOp.REQUEST && asked.has(f.arp.targetIp)) see(r.arpRequests, ms);
      if (f.arp.operation === ArpOp.REPLY && asked.has(f.arp.senderIp)) {
        see(r.arpReplies, ms);
        if (f.arp.senderIp === plan.toIp) addMac(r, f.arp.senderMac);
      }
    } else if (f.icmp && f.ipv4) {
      const { src, dst } = f.ipv4;
      if (f.icmp.type === IcmpType.ECHO_REQUEST && src === plan.fromIp && dst === plan.toIp) {
        see(r.echoRequests, ms);
        if (direct && r.hop.role === 'source' && f.dstMacNum !== undefined) addMac(r, formatMacNumber(f.dstMacNum));
      }
      else if (f.icmp.type === IcmpType.ECHO_REPLY && src === plan.toIp && dst === plan.fromIp) {
        see(r.echoReplies, ms);
        // Routed, the reply reaches A from the gateway's MAC; only on a shared link is it B's own.
        if (direct && f.srcMacNum !== undefined) addMac(r, formatMacNumber(f.srcMacNum));
      } else if (f.icmp.isError && f.quotedIpv4 && f.quotedIpv4.src === plan.fromIp && f.quotedIpv4.dst === plan.toIp) {
        see(r.errors, ms);
        if (!r.errors.seen.some((e) => e.from === src && e.type === f.icmp!.type && e.code === f.icmp!.code)) r.errors.seen.push({ from: src, type: f.icmp.type, code: f.icmp.code });
      }
    }
  }
  return reports;
}

function seeIpv6(r: HopReport, s: Ipv6Sighting, ms: number): void {
  see(r[s.kind], ms);
  if (s.mac) addMac(r, s.mac);
  const e = s.error;
  if (e && !r.errors.seen.some((x) => x.from === e.from && x.type === e.type && x.code === e.code)) r.errors.seen.push(e);
}

function addMac(r: HopReport, mac: string): void {
  if (!r.answeringMacs.includes(mac)) r.answeringMacs.push(mac);
}
