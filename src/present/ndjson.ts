import type { Endpoint, Resolver } from '../model/endpoint.js';
import { destinationEndpoint, sourceEndpoint } from '../annotate/frame-names.js';
import { formatIpv4Number, type DecodedFrame } from '../decode/index.js';
import type { FrameBatch } from '../source/frame-batch.js';
import { epochText } from './clock.js';
import { escapeJson } from './sanitize.js';
import { frameSummary } from './summary.js';
import { icmp6Record, ipv6Record, ndpRecord, type Icmp6Record, type Ipv6Record, type NdpRecord } from './ndjson6.js';

/**
 * One NDJSON line (without its newline). JSON.stringify escapes only C0, so DEL, C1 (U+009B is a
 * CSI), bidi controls and U+2028/U+2029 from names and interfaces are escaped as \uXXXX too: the
 * line stays valid JSON, parses back to the same value, and cannot drive a terminal it is shown on.
 */
export function ndjsonLine(value: unknown): string {
  return escapeJson(JSON.stringify(value));
}

/**
 * One JSON object per frame (NDJSON). Field names are a stable, documented interface (README,
 * "NDJSON fields"): add fields, never rename or repurpose them. Absent layers are omitted.
 * Records are written with `ndjsonLine`, never bare JSON.stringify (see there).
 */
export interface FrameRecord {
  /** 1-based frame number in the source. */
  n: number;
  /** Epoch seconds with 9 decimals, as text so no precision is lost. */
  ts: string;
  iface?: string;
  caplen: number;
  len: number;
  proto: string;
  summary: string;
  src: EndpointRecord;
  dst: EndpointRecord;
  /** The VXLAN tunnel the frame came through (the layers above are the inner frame's); `nested`: tunnels inside it. */
  vxlan?: TunnelRecord & { nested?: TunnelRecord[] };
  eth?: { src: string; dst: string; type: number };
  vlan?: number[];
  arp?: { op: number; senderMac: string; senderIp: string; targetMac: string; targetIp: string; gratuitous: boolean; probe: boolean };
  ipv4?: { src: string; dst: string; ttl: number; proto: number; id: number; df: boolean; mf: boolean; fragOffset: number };
  icmp?: { type: number; code: number; id?: number; seq?: number; quoted?: { src: string; dst: string; proto: number; id?: number; seq?: number } };
  ipv6?: Ipv6Record;
  icmp6?: Icmp6Record;
  ndp?: NdpRecord;
  ports?: { src: number; dst: number };
  /** On a reply matched to its request (ARP reply, ICMP echo reply): the time between, in ns. */
  rttNs?: number;
  problem?: { code: string; layer: string; offset: number; required: number; actual: number; detail: string };
  /** Every interface the frame was seen on, in order, when copies were merged (several interfaces captured). */
  hops?: HopRecord[];
}

export interface TunnelRecord {
  vni: number;
  /** The underlay: the hosts' addresses and the UDP ports (MACs when the link is Ethernet). */
  outer: { src: string; dst: string; srcPort: number; dstPort: number; srcMac?: string; dstMac?: string };
}

function tunnelRecord(f: DecodedFrame, i: number): TunnelRecord {
  const t = f.vxlan;
  const ip = t.outerIpv4(i);
  const eth = t.outerEth(i);
  return { vni: t.vni(i), outer: { src: ip.src, dst: ip.dst, srcPort: t.srcPort(i), dstPort: t.dstPort(i), srcMac: eth?.src, dstMac: eth?.dst } };
}

export interface HopRecord {
  iface?: string;
  /** As `ts`. */
  ts: string;
}

export interface EndpointRecord {
  /** Display label ("alpha (+sidecar)"). */
  name?: string;
  /** The container's own name, as `topology --json` has it. */
  container?: string;
  containerId?: string;
  /** Containers sharing its network namespace. */
  sharedWith?: string[];
  compose?: { project: string; service: string };
  network?: string;
  bridge?: string;
  hostVeth?: string;
  /** The Docker host (daemon) the name came from, when names come from several. */
  host?: string;
}

function endpointRecord(e: Endpoint | undefined): EndpointRecord {
  if (!e) return {};
  return {
    name: e.label,
    container: e.container,
    containerId: e.containerId,
    sharedWith: e.sharedWith?.length ? e.sharedWith.map((s) => s.name) : undefined,
    compose: e.compose,
    network: e.network,
    bridge: e.bridge,
    hostVeth: e.hostVeth,
    host: e.host,
  };
}

export function frameRecord(f: DecodedFrame, n: number, tsSec: number, tsNsec: number, r: Resolver, iface?: string): FrameRecord {
  const rec: FrameRecord = {
    n,
    ts: epochText(tsSec, tsNsec),
    iface,
    caplen: f.capLen,
    len: f.origLen,
    proto: f.protocol,
    summary: frameSummary(f, r, tsSec),
    src: endpointRecord(sourceEndpoint(f, r, tsSec)),
    dst: endpointRecord(destinationEndpoint(f, r, tsSec)),
  };
  if (f.vxlan.count > 0) {
    rec.vxlan = tunnelRecord(f, 0);
    if (f.vxlan.count > 1) rec.vxlan.nested = Array.from({ length: f.vxlan.count - 1 }, (_, i) => tunnelRecord(f, i + 1));
  }
  if (f.eth) rec.eth = { src: f.eth.src, dst: f.eth.dst, type: f.eth.typeOrLength };
  if (f.vlan.count) rec.vlan = f.vlan.ids();
  const arp = f.arp;
  if (arp?.isEthernetIpv4) {
    rec.arp = {
      op: arp.operation, senderMac: arp.senderMac, senderIp: arp.senderIp, targetMac: arp.targetMac,
      targetIp: arp.targetIp, gratuitous: arp.isGratuitous, probe: arp.isProbe,
    };
  }
  const ip = f.ipv4;
  if (ip) {
    rec.ipv4 = {
      src: ip.src, dst: ip.dst, ttl: ip.ttl, proto: ip.protocol, id: ip.identification,
      df: ip.dontFragment, mf: ip.moreFragments, fragOffset: ip.fragmentOffset,
    };
  }
  const icmp = f.icmp;
  if (icmp) {
    rec.icmp = { type: icmp.type, code: icmp.code };
    if (icmp.hasIdSeq) {
      rec.icmp.id = icmp.identifier;
      rec.icmp.seq = icmp.sequence;
    }
    const q = f.quotedIpv4;
    if (q) {
      rec.icmp.quoted = { src: formatIpv4Number(q.srcNum), dst: formatIpv4Number(q.dstNum), proto: q.protocol };
      if (f.quotedIcmp?.hasIdSeq) {
        rec.icmp.quoted.id = f.quotedIcmp.identifier;
        rec.icmp.quoted.seq = f.quotedIcmp.sequence;
      }
    }
  }
  if (f.ipv6) rec.ipv6 = ipv6Record(f);
  if (f.icmp6?.complete) {
    rec.icmp6 = icmp6Record(f);
    rec.ndp = ndpRecord(f);
  }
  if (f.srcPort >= 0) rec.ports = { src: f.srcPort, dst: f.dstPort };
  if (f.problem) rec.problem = { ...f.problem };
  return rec;
}

/** The hops of frame i of a merged batch, or undefined when copies were not merged. */
export function hopRecords(b: FrameBatch, i: number): HopRecord[] | undefined {
  const h = b.hops;
  if (!h) return undefined;
  const out: HopRecord[] = [];
  for (let k = h.start[i], end = k + h.count[i]; k < end; k++) out.push({ iface: b.interfaces[h.ifIndex[k]]?.name, ts: epochText(h.tsSec[k], h.tsNsec[k]) });
  return out;
}
