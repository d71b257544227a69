import type { Endpoint, Resolver } from '../model/endpoint.js';
import { destinationEndpoint, sourceEndpoint } from '../annotate/frame-names.js';
import { formatIpv4Number, type DecodedFrame, type IcmpView } from '../decode/index.js';
import { ipv4Bytes, macBytes } from './address-text.js';
import type { FrameBatch } from '../source/frame-batch.js';
import { epochText } from './clock.js';
import { asciiChunk, ByteText } from './byte-text.js';
import { ByteStretch } from './byte-stretch.js';
import { jsonText } from './json-text.js';
import { jsonString } from './sanitize.js';
import { frameInfo, idSeqIcmp, idSeqIcmpPrefix } from './frame-info.js';
import { icmp6Json, ipv6Json, ndpJson, type Icmp6Record, type Ipv6Record, type NdpRecord } from './ndjson6.js';

/**
 * One JSON object per frame (NDJSON). Field names are a stable, documented interface (README,
 * "NDJSON fields"): add fields, never rename or repurpose them. Absent layers are omitted.
 * `writeNdjsonFrame` writes it as UTF-8 straight from the decoded views (no object per frame, which
 * cost three times tcpdump's time); `frameRecord` is the same text parsed, for API users.
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


/** The constant pieces of a line, encoded once: each written with one copy. */
const K = {
  n: asciiChunk('{"n":'),
  ts: asciiChunk(',"ts":"'),
  quote: asciiChunk('"'),
  dot: asciiChunk('.'),
  iface: asciiChunk(',"iface":'),
  caplen: asciiChunk(',"caplen":'),
  len: asciiChunk(',"len":'),
  proto: asciiChunk(',"proto":'),
  summary: asciiChunk(',"summary":'),
  src: asciiChunk(',"src":'),
  dst: asciiChunk(',"dst":'),
  ethSrc: asciiChunk(',"eth":{"src":"'),
  quotedDst: asciiChunk('","dst":"'),
  quotedType: asciiChunk('","type":'),
  quotedTtl: asciiChunk('","ttl":'),
  ipv4Src: asciiChunk(',"ipv4":{"src":"'),
  id: asciiChunk(',"id":'),
  seq: asciiChunk(',"seq":'),
  dfTrue: asciiChunk(',"df":true'),
  dfFalse: asciiChunk(',"df":false'),
  mfTrue: asciiChunk(',"mf":true'),
  mfFalse: asciiChunk(',"mf":false'),
  fragOffset: asciiChunk(',"fragOffset":'),
  icmpType: asciiChunk(',"icmp":{"type":'),
  code: asciiChunk(',"code":'),
  portsSrc: asciiChunk(',"ports":{"src":'),
  rttNs: asciiChunk(',"rttNs":'),
  commaSeq: asciiChunk(', seq '),
  close: asciiChunk('}'),
  endLine: asciiChunk('}\n'),
};

/**
 * Frame i of batch b as one NDJSON line and its newline, with the RTT the analyzer gave it (-1:
 * none) and its hops when copies were merged. Keys come in the order the schema has always written
 * them; a key whose value is absent is left out, as JSON.stringify leaves out undefined.
 */
export function writeNdjsonFrame(o: ByteText, b: FrameBatch, i: number, f: DecodedFrame, n: number, r: Resolver, rttNs: number): void {
  writeFields(o, f, n, b.tsSec[i], b.tsNsec[i], r, b.interfaces[b.ifIndex[i]]?.name);
  if (rttNs >= 0) {
    o.bytes(K.rttNs);
    o.number(rttNs);
  }
  if (b.hops) o.text(`,"hops":${hopsJson(b, i)}`);
  o.bytes(K.endLine);
}

/** The record of one frame (no RTT, no hops): the NDJSON line's object. */
export function frameRecord(f: DecodedFrame, n: number, tsSec: number, tsNsec: number, r: Resolver, iface?: string): FrameRecord {
  const o = new ByteText();
  writeFields(o, f, n, tsSec, tsNsec, r, iface);
  o.bytes(K.close);
  return JSON.parse(o.take().toString('utf8')) as FrameRecord;
}

/** `,"ts":"` and the whole seconds with their dot, kept while the second lasts. */
const SECOND = new ByteStretch(1, 1, 32);
/** The closing quote of the time, the interface, caplen, len, proto and `"summary":` (an echo's summary up to its id). */
const HEAD = new ByteStretch(5);
/** From the summary's end through the names, the link layers and the IPv4 header up to its id. */
const MIDDLE = new ByteStretch(10);
/** From the IPv4 id's end through the ICMP header up to its id. */
const TAIL = new ByteStretch(6);

/**
 * The line up to its closing brace. Addresses and times are digits, hex and punctuation: copied as
 * ASCII, not escaped. Between the fields that change frame by frame (number, time, IP id, ICMP id
 * and sequence) the bytes are stretches kept under the values they are made of (ByteStretch); the
 * rarer layers (tunnels, VLANs, ARP, IPv6) are written each time, as short strings.
 */
function writeFields(o: ByteText, f: DecodedFrame, n: number, tsSec: number, tsNsec: number, r: Resolver, iface: string | undefined): void {
  o.bytes(K.n);
  o.number(n);
  writeEpoch(o, tsSec, tsNsec);
  const icmp = f.icmp;
  // An echo's summary (frameInfo's "ICMP echo request, id 3420, seq 1") is written from its numbers.
  const echo = idSeqIcmp(f);
  const ifaceText = iface === undefined ? undefined : ifaceNames.of(iface);
  const protoText = protocols.of(f.protocol);
  const head = HEAD.key;
  head[0] = ifaceText === undefined ? -1 : ifaceText.id;
  head[1] = f.capLen;
  head[2] = f.origLen;
  head[3] = protoText.id;
  head[4] = echo ? echo.type : -1;
  if (!HEAD.copy(o)) {
    const at = o.length;
    o.bytes(K.quote);
    if (ifaceText !== undefined) {
      o.bytes(K.iface);
      o.bytes(ifaceText.bytes);
    }
    o.bytes(K.caplen);
    o.number(f.capLen);
    o.bytes(K.len);
    o.number(f.origLen);
    o.bytes(K.proto);
    o.bytes(protoText.bytes);
    o.bytes(K.summary);
    if (echo) o.ascii(`"${idSeqIcmpPrefix(echo)}`);
    HEAD.keep(o, at);
  }
  if (echo) {
    o.number(echo.identifier);
    o.bytes(K.commaSeq);
    o.number(echo.sequence);
  } else o.text(jsonString(frameInfo(f, r, tsSec)));
  const src = endpointJson(sourceEndpoint(f, r, tsSec));
  const dst = endpointJson(destinationEndpoint(f, r, tsSec));
  const eth = f.eth;
  const ip = f.ipv4;
  if (f.vxlan.count === 0 && f.vlan.count === 0 && !f.arp?.isEthernetIpv4) {
    const middle = MIDDLE.key;
    middle[0] = echo ? 1 : 0;
    middle[1] = src.id;
    middle[2] = dst.id;
    middle[3] = eth ? eth.srcNum : -1;
    middle[4] = eth ? eth.dstNum : -1;
    middle[5] = eth ? eth.typeOrLength : -1;
    middle[6] = ip ? ip.srcNum : -1;
    middle[7] = ip ? ip.dstNum : -1;
    middle[8] = ip ? ip.ttl : -1;
    middle[9] = ip ? ip.protocol : -1;
    if (!MIDDLE.copy(o)) {
      const at = o.length;
      writeMiddle(o, f, echo !== null, src.bytes, dst.bytes);
      MIDDLE.keep(o, at);
    }
  } else writeMiddle(o, f, echo !== null, src.bytes, dst.bytes);
  if (ip) {
    o.number(ip.identification);
    const tail = TAIL.key;
    tail[0] = ip.dontFragment ? 1 : 0;
    tail[1] = ip.moreFragments ? 1 : 0;
    tail[2] = ip.fragmentOffset;
    tail[3] = icmp ? icmp.type : -1;
    tail[4] = icmp ? icmp.code : -1;
    tail[5] = icmp?.hasIdSeq ? 1 : 0;
    if (!TAIL.copy(o)) {
      const at = o.length;
      o.bytes(ip.dontFragment ? K.dfTrue : K.dfFalse);
      o.bytes(ip.moreFragments ? K.mfTrue : K.mfFalse);
      o.bytes(K.fragOffset);
      o.number(ip.fragmentOffset);
      o.bytes(K.close);
      if (icmp) writeIcmpHead(o, icmp);
      TAIL.keep(o, at);
    }
  } else if (icmp) writeIcmpHead(o, icmp);
  if (icmp) {
    if (icmp.hasIdSeq) {
      o.number(icmp.identifier);
      o.bytes(K.seq);
      o.number(icmp.sequence);
    }
    const q = f.quotedIpv4;
    if (q) {
      let s = `,"quoted":{"src":"${formatIpv4Number(q.srcNum)}","dst":"${formatIpv4Number(q.dstNum)}","proto":${q.protocol}`;
      if (f.quotedIcmp?.hasIdSeq) s += `,"id":${f.quotedIcmp.identifier},"seq":${f.quotedIcmp.sequence}`;
      o.ascii(s + '}');
    }
    o.bytes(K.close);
  }
  if (f.ipv6) o.text(`,"ipv6":${ipv6Json(f)}`);
  if (f.icmp6?.complete) {
    o.text(`,"icmp6":${icmp6Json(f)}`);
    const nd = ndpJson(f);
    if (nd) o.text(`,"ndp":${nd}`);
  }
  if (f.srcPort >= 0) {
    o.bytes(K.portsSrc);
    o.number(f.srcPort);
    o.bytes(K.dst);
    o.number(f.dstPort);
    o.bytes(K.close);
  }
  if (f.problem) o.text(`,"problem":${jsonText(f.problem)}`);
}

/** From the summary's end (its closing quote when written from numbers) to the IPv4 id's key. */
function writeMiddle(o: ByteText, f: DecodedFrame, echo: boolean, src: Uint8Array, dst: Uint8Array): void {
  if (echo) o.bytes(K.quote);
  o.bytes(K.src);
  o.bytes(src);
  o.bytes(K.dst);
  o.bytes(dst);
  const tunnels = f.vxlan.count;
  if (tunnels > 0) {
    let s = `,"vxlan":${tunnelFields(f, 0)}`;
    if (tunnels > 1) {
      s += ',"nested":[';
      for (let k = 1; k < tunnels; k++) s += `${k > 1 ? ',' : ''}${tunnelFields(f, k)}}`;
      s += ']';
    }
    o.ascii(s + '}');
  }
  const eth = f.eth;
  if (eth) {
    o.bytes(K.ethSrc);
    o.bytes(macBytes(eth.srcNum));
    o.bytes(K.quotedDst);
    o.bytes(macBytes(eth.dstNum));
    o.bytes(K.quotedType);
    o.number(eth.typeOrLength);
    o.bytes(K.close);
  }
  if (f.vlan.count) o.ascii(`,"vlan":[${f.vlan.ids().join(',')}]`);
  const arp = f.arp;
  if (arp?.isEthernetIpv4) {
    o.ascii(`,"arp":{"op":${arp.operation},"senderMac":"${arp.senderMac}","senderIp":"${arp.senderIp}","targetMac":"${arp.targetMac}"`
      + `,"targetIp":"${arp.targetIp}","gratuitous":${arp.isGratuitous},"probe":${arp.isProbe}}`);
  }
  const ip = f.ipv4;
  if (ip) {
    o.bytes(K.ipv4Src);
    o.bytes(ipv4Bytes(ip.srcNum));
    o.bytes(K.quotedDst);
    o.bytes(ipv4Bytes(ip.dstNum));
    o.bytes(K.quotedTtl);
    o.number(ip.ttl);
    o.bytes(K.proto);
    o.number(ip.protocol);
    o.bytes(K.id);
  }
}

/** `,"icmp":{` up to the identifier's key, or through the code when the message has none. */
function writeIcmpHead(o: ByteText, icmp: IcmpView): void {
  o.bytes(K.icmpType);
  o.number(icmp.type);
  o.bytes(K.code);
  o.number(icmp.code);
  if (icmp.hasIdSeq) o.bytes(K.id);
}

/** `,"ts":"` and the time, as epochText, without making the string when the time is an ordinary one. */
function writeEpoch(o: ByteText, tsSec: number, tsNsec: number): void {
  if (tsSec >= 0 && tsSec < 0x1_0000_0000 && tsSec === Math.floor(tsSec) && tsNsec >= 0 && tsNsec < 1e9 && tsNsec === Math.floor(tsNsec)) {
    SECOND.key[0] = tsSec;
    if (!SECOND.copy(o)) {
      const at = o.length;
      o.bytes(K.ts);
      o.number(tsSec);
      o.bytes(K.dot);
      SECOND.keep(o, at);
    }
    o.padded(tsNsec, 9);
  } else {
    o.bytes(K.ts);
    o.ascii(epochText(tsSec, tsNsec));
  }
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

/** JSON bytes kept for a value, and a number for it that no other value cached here gets (a stretch's key). */
interface Encoded {
  bytes: Uint8Array;
  id: number;
}

let lastId = 0;

/**
 * An endpoint's object, encoded once per endpoint: a resolver hands out one Endpoint object per
 * name and a new one when the name changes, so the bytes are kept beside the object.
 */
const endpointBytes = new WeakMap<Endpoint, Encoded>();
const NO_ENDPOINT: Encoded = { bytes: Buffer.from('{}'), id: ++lastId };

function endpointJson(e: Endpoint | undefined): Encoded {
  if (!e) return NO_ENDPOINT;
  let encoded = endpointBytes.get(e);
  if (encoded === undefined) {
    const bytes = Buffer.from(jsonText({
      name: e.label,
      container: e.container,
      containerId: e.containerId,
      sharedWith: e.sharedWith?.length ? e.sharedWith.map((x) => x.name) : undefined,
      compose: e.compose,
      network: e.network,
      bridge: e.bridge,
      hostVeth: e.hostVeth,
      host: e.host,
    } satisfies EndpointRecord));
    encoded = { bytes, id: ++lastId };
    endpointBytes.set(e, encoded);
  }
  return encoded;
}

/**
 * Interface and protocol names as JSON strings. They repeat frame after frame: the last one is
 * checked first, then the ones seen before, up to a bound (a file can make protocol names of
 * numbers: "PPP proto 0x...").
 */
class JsonStrings {
  private readonly seen = new Map<string, Encoded>();
  private lastValue: string | undefined;
  private last = NO_ENDPOINT;

  of(value: string): Encoded {
    if (value === this.lastValue) return this.last;
    let encoded = this.seen.get(value);
    if (encoded === undefined) {
      if (this.seen.size >= 1024) this.seen.clear();
      encoded = { bytes: Buffer.from(jsonString(value)), id: ++lastId };
      this.seen.set(value, encoded);
    }
    this.lastValue = value;
    this.last = encoded;
    return encoded;
  }
}

const ifaceNames = new JsonStrings();
const protocols = new JsonStrings();

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
