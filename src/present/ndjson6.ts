import { Icmp6Type, NdOpt, type DecodedFrame } from '../decode/index.js';

/** NDJSON objects of the IPv6 layers (README, "NDJSON fields"): add fields, never rename them. */
export interface Ipv6Record {
  src: string;
  dst: string;
  hopLimit: number;
  /** Upper-layer protocol after the extension headers (58 ICMPv6, 6 TCP, 17 UDP); -1 when the chain was unreadable. */
  proto: number;
  flow: number;
  tclass: number;
  /** Extension headers in wire order ("hop-by-hop", "routing", "fragment", "destination options"). */
  ext?: string[];
  frag?: { offset: number; more: boolean; id: number };
}

export interface Icmp6Record {
  type: number;
  code: number;
  /** The type in words ("echo request", "neighbor solicitation", ...). */
  name: string;
  id?: number;
  seq?: number;
  mtu?: number;
  pointer?: number;
  /** MLD: the group (v1), or the number of group records (v2 report). */
  group?: string;
  records?: number;
  quoted?: { src: string; dst: string; proto: number; type?: number; id?: number; seq?: number };
}

export interface NdpRecord {
  kind: 'solicit' | 'advert' | 'router-solicit' | 'router-advert' | 'redirect';
  target?: string;
  /** Source / target link-layer address options. */
  sourceMac?: string;
  targetMac?: string;
  /** NS from `::`: duplicate address detection. */
  probe?: boolean;
  router?: boolean;
  solicited?: boolean;
  override?: boolean;
  /** RA: current hop limit and router lifetime in seconds. */
  hopLimit?: number;
  lifetime?: number;
  /** Redirect: the destination being redirected. */
  destination?: string;
  /** Option types in wire order. */
  options: number[];
}

export function ipv6Record(f: DecodedFrame): Ipv6Record {
  const ip = f.ipv6!;
  const ext = f.ipv6Ext;
  const rec: Ipv6Record = { src: ip.src, dst: ip.dst, hopLimit: ip.hopLimit, proto: ip.upperProtocol, flow: ip.flowLabel, tclass: ip.trafficClass };
  if (ext.count) rec.ext = ext.names();
  if (ext.isFragment) rec.frag = { offset: ext.fragmentOffset, more: ext.moreFragments, id: ext.fragmentId };
  return rec;
}

export function icmp6Record(f: DecodedFrame): Icmp6Record {
  const m = f.icmp6!;
  const rec: Icmp6Record = { type: m.type, code: m.code, name: m.typeName };
  if (m.isEcho) {
    rec.id = m.identifier;
    rec.seq = m.sequence;
  }
  if (m.type === Icmp6Type.PACKET_TOO_BIG) rec.mtu = m.mtu;
  if (m.type === Icmp6Type.PARAMETER_PROBLEM) rec.pointer = m.pointer;
  if (m.type === Icmp6Type.MLD_QUERY || m.type === Icmp6Type.MLD_REPORT || m.type === Icmp6Type.MLD_DONE) rec.group = m.mldAddress;
  if (m.type === Icmp6Type.MLD2_REPORT) rec.records = m.mld2Records;
  const q = f.quotedIpv6;
  if (q) {
    // The quote's upper protocol, past its extension headers; its first next header when the chain was cut.
    rec.quoted = { src: q.src, dst: q.dst, proto: q.upperProtocol >= 0 ? q.upperProtocol : q.nextHeader };
    const qi = f.quotedIcmp6;
    if (qi) rec.quoted.type = qi.type;
    if (qi?.complete && qi.isEcho) {
      rec.quoted.id = qi.identifier;
      rec.quoted.seq = qi.sequence;
    }
  }
  return rec;
}

const ND_KINDS: Partial<Record<number, NdpRecord['kind']>> = {
  [Icmp6Type.NEIGHBOR_SOLICITATION]: 'solicit',
  [Icmp6Type.NEIGHBOR_ADVERTISEMENT]: 'advert',
  [Icmp6Type.ROUTER_SOLICITATION]: 'router-solicit',
  [Icmp6Type.ROUTER_ADVERTISEMENT]: 'router-advert',
  [Icmp6Type.REDIRECT]: 'redirect',
};

export function ndpRecord(f: DecodedFrame): NdpRecord | undefined {
  const m = f.icmp6!;
  const kind = ND_KINDS[m.type];
  if (!kind) return undefined;
  const nd = f.ndOptions;
  const options: number[] = [];
  for (let i = 0; i < nd.count; i++) options.push(nd.type[i]);
  const rec: NdpRecord = { kind, options };
  if (kind === 'solicit' || kind === 'advert' || kind === 'redirect') rec.target = m.target;
  if (nd.hasSourceLinkAddr) rec.sourceMac = nd.linkAddrText(NdOpt.SOURCE_LL);
  if (nd.hasTargetLinkAddr) rec.targetMac = nd.linkAddrText(NdOpt.TARGET_LL);
  if (kind === 'solicit') rec.probe = f.ipv6!.srcUnspecified;
  if (kind === 'advert') {
    rec.router = m.naRouter;
    rec.solicited = m.naSolicited;
    rec.override = m.naOverride;
  }
  if (kind === 'router-advert') {
    rec.hopLimit = m.raHopLimit;
    rec.lifetime = m.raRouterLifetime;
  }
  if (kind === 'redirect') rec.destination = m.redirectDestination;
  return rec;
}
