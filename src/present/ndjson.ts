import type { Endpoint, Resolver } from '../model/endpoint.js';
import { destinationEndpoint, sourceEndpoint } from '../annotate/frame-names.js';
import { formatIpv4Number, type DecodedFrame } from '../decode/index.js';
import { ipv4Text, macText } from './address-text.js';
import type { FrameBatch } from '../source/frame-batch.js';
import { epochText } from './clock.js';
import { jsonText } from './json-text.js';
import { jsonString } from './sanitize.js';
import { frameSummary } from './summary.js';
import { icmp6Json, ipv6Json, ndpJson, type Icmp6Record, type Ipv6Record, type NdpRecord } from './ndjson6.js';

/**
 * One JSON object per frame (NDJSON). Field names are a stable, documented interface (README,
 * "NDJSON fields"): add fields, never rename or repurpose them. Absent layers are omitted.
 * `ndjsonFrame` writes it as text straight from the decoded views (no object per frame, which cost
 * three times tcpdump's time); `frameRecord` is the same text parsed, for API users.
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


/**
 * Frame i of batch b as one NDJSON line (without its newline), with the RTT the analyzer gave it
 * (-1: none) and its hops when copies were merged. Keys come in the order the schema has always
 * written them; a key whose value is absent is left out, as JSON.stringify leaves out undefined.
 */
export function ndjsonFrame(b: FrameBatch, i: number, f: DecodedFrame, n: number, r: Resolver, rttNs: number): string {
  let line = frameFields(f, n, b.tsSec[i], b.tsNsec[i], r, b.interfaces[b.ifIndex[i]]?.name);
  if (rttNs >= 0) line += `,"rttNs":${rttNs}`;
  if (b.hops) line += `,"hops":${hopsJson(b, i)}`;
  line += '}';
  // Flat now, while its pieces are young: a batch's chunk of unflattened lines kept ~40 rope
  // nodes per frame alive until the write, and GC took half the time.
  line.charCodeAt(0);
  return line;
}

/** The record of one frame (no RTT, no hops): the NDJSON line's object. */
export function frameRecord(f: DecodedFrame, n: number, tsSec: number, tsNsec: number, r: Resolver, iface?: string): FrameRecord {
  return JSON.parse(frameFields(f, n, tsSec, tsNsec, r, iface) + '}') as FrameRecord;
}

/** The line up to its closing brace. Addresses and times are digits, hex and punctuation: quoted, not escaped. */
function frameFields(f: DecodedFrame, n: number, tsSec: number, tsNsec: number, r: Resolver, iface: string | undefined): string {
  let s = `{"n":${n},"ts":"${epochText(tsSec, tsNsec)}"`;
  if (iface !== undefined) s += `,"iface":${ifaceJson(iface)}`;
  s += `,"caplen":${f.capLen},"len":${f.origLen},"proto":${protoJson(f.protocol)},"summary":${jsonString(frameSummary(f, r, tsSec))}`;
  s += `,"src":${endpointJson(sourceEndpoint(f, r, tsSec))},"dst":${endpointJson(destinationEndpoint(f, r, tsSec))}`;
  const tunnels = f.vxlan.count;
  if (tunnels > 0) {
    s += `,"vxlan":${tunnelFields(f, 0)}`;
    if (tunnels > 1) {
      s += ',"nested":[';
      for (let k = 1; k < tunnels; k++) s += `${k > 1 ? ',' : ''}${tunnelFields(f, k)}}`;
      s += ']';
    }
    s += '}';
  }
  const eth = f.eth;
  if (eth) s += `,"eth":{"src":"${macText(eth.srcNum)}","dst":"${macText(eth.dstNum)}","type":${eth.typeOrLength}}`;
  if (f.vlan.count) s += `,"vlan":[${f.vlan.ids().join(',')}]`;
  const arp = f.arp;
  if (arp?.isEthernetIpv4) {
    s += `,"arp":{"op":${arp.operation},"senderMac":"${arp.senderMac}","senderIp":"${arp.senderIp}","targetMac":"${arp.targetMac}"`
      + `,"targetIp":"${arp.targetIp}","gratuitous":${arp.isGratuitous},"probe":${arp.isProbe}}`;
  }
  const ip = f.ipv4;
  if (ip) {
    s += `,"ipv4":{"src":"${ipv4Text(ip.srcNum)}","dst":"${ipv4Text(ip.dstNum)}","ttl":${ip.ttl},"proto":${ip.protocol},"id":${ip.identification}`
      + `,"df":${ip.dontFragment},"mf":${ip.moreFragments},"fragOffset":${ip.fragmentOffset}}`;
  }
  const icmp = f.icmp;
  if (icmp) {
    s += `,"icmp":{"type":${icmp.type},"code":${icmp.code}`;
    if (icmp.hasIdSeq) s += `,"id":${icmp.identifier},"seq":${icmp.sequence}`;
    const q = f.quotedIpv4;
    if (q) {
      s += `,"quoted":{"src":"${formatIpv4Number(q.srcNum)}","dst":"${formatIpv4Number(q.dstNum)}","proto":${q.protocol}`;
      if (f.quotedIcmp?.hasIdSeq) s += `,"id":${f.quotedIcmp.identifier},"seq":${f.quotedIcmp.sequence}`;
      s += '}';
    }
    s += '}';
  }
  if (f.ipv6) s += `,"ipv6":${ipv6Json(f)}`;
  if (f.icmp6?.complete) {
    s += `,"icmp6":${icmp6Json(f)}`;
    const nd = ndpJson(f);
    if (nd) s += `,"ndp":${nd}`;
  }
  if (f.srcPort >= 0) s += `,"ports":{"src":${f.srcPort},"dst":${f.dstPort}}`;
  if (f.problem) s += `,"problem":${jsonText(f.problem)}`;
  return s;
}

/** Tunnel k up to its closing brace (the outermost one may get `nested` before it). */
function tunnelFields(f: DecodedFrame, k: number): string {
  const t = f.vxlan;
  const ip = t.outerIpv4(k);
  const src = ip.src;
  const dst = ip.dst;
  const eth = t.outerEth(k);
  const macs = eth ? `,"srcMac":"${eth.src}","dstMac":"${eth.dst}"` : '';
  return `{"vni":${t.vni(k)},"outer":{"src":"${src}","dst":"${dst}","srcPort":${t.srcPort(k)},"dstPort":${t.dstPort(k)}${macs}}`;
}

/**
 * An endpoint's object, written once per endpoint: a resolver hands out one Endpoint object per
 * name and a new one when the name changes, so the text is kept beside the object.
 */
const endpointTexts = new WeakMap<Endpoint, string>();

function endpointJson(e: Endpoint | undefined): string {
  if (!e) return '{}';
  let text = endpointTexts.get(e);
  if (text === undefined) {
    text = jsonText({
      name: e.label,
      container: e.container,
      containerId: e.containerId,
      sharedWith: e.sharedWith?.length ? e.sharedWith.map((x) => x.name) : undefined,
      compose: e.compose,
      network: e.network,
      bridge: e.bridge,
      hostVeth: e.hostVeth,
      host: e.host,
    } satisfies EndpointRecord);
    endpointTexts.set(e, text);
  }
  return text;
}

/** Interface and protocol names repeat frame after frame: the last one's text is kept. */
class LastText {
  private value: string | undefined;
  private text = '';

  of(value: string): string {
    if (value !== this.value) {
      this.value = value;
      this.text = jsonString(value);
    }
    return this.text;
  }
}

const lastIface = new LastText();
const lastProto = new LastText();
const ifaceJson = (name: string) => lastIface.of(name);
const protoJson = (proto: string) => lastProto.of(proto);

/** The hops of frame i of a merged batch. */
function hopsJson(b: FrameBatch, i: number): string {
  const h = b.hops!;
  let s = '[';
  for (let k = h.start[i], end = k + h.count[i]; k < end; k++) {
    const name = b.interfaces[h.ifIndex[k]]?.name;
    s += `${k > h.start[i] ? ',' : ''}{${name === undefined ? '' : `"iface":${jsonString(name)},`}"ts":"${epochText(h.tsSec[k], h.tsNsec[k])}"}`;
  }
  return s + ']';
}
