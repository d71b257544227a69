import { Icmp6Type, NdOpt, type DecodedFrame } from '../decode/index.js';
import { jsonText } from './json-text.js';

/**
 * NDJSON objects of the IPv6 layers (README, "NDJSON fields"): add fields, never rename them.
 * Written as text, in these key orders, by the functions below (see `writeNdjsonFrame`); addresses are
 * hex, digits and colons, quoted as they are.
 */
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

export function ipv6Json(f: DecodedFrame): string {
  const ip = f.ipv6!;
  const ext = f.ipv6Ext;
  let s = `{"src":"${ip.src}","dst":"${ip.dst}","hopLimit":${ip.hopLimit},"proto":${ip.upperProtocol},"flow":${ip.flowLabel},"tclass":${ip.trafficClass}`;
  if (ext.count) s += `,"ext":${jsonText(ext.names())}`;
  if (ext.isFragment) s += `,"frag":{"offset":${ext.fragmentOffset},"more":${ext.moreFragments},"id":${ext.fragmentId}}`;
  return s + '}';
}

export function icmp6Json(f: DecodedFrame): string {
  const m = f.icmp6!;
  const t = m.type;
  let s = `{"type":${t},"code":${m.code},"name":${jsonText(m.typeName)}`;
  if (m.isEcho) s += `,"id":${m.identifier},"seq":${m.sequence}`;
  if (t === Icmp6Type.PACKET_TOO_BIG) s += `,"mtu":${m.mtu}`;
  if (t === Icmp6Type.PARAMETER_PROBLEM) s += `,"pointer":${m.pointer}`;
  if (t === Icmp6Type.MLD_QUERY || t === Icmp6Type.MLD_REPORT || t === Icmp6Type.MLD_DONE) s += `,"group":"${m.mldAddress}"`;
  if (t === Icmp6Type.MLD2_REPORT) s += `,"records":${m.mld2Records}`;
  const q = f.quotedIpv6;
  if (q) {
    // The quote's upper protocol, past its extension headers; its first next header when the chain was cut.
    s += `,"quoted":{"src":"${q.src}","dst":"${q.dst}","proto":${q.upperProtocol >= 0 ? q.upperProtocol : q.nextHeader}`;
    const qi = f.quotedIcmp6;
    if (qi) s += `,"type":${qi.type}`;
    if (qi?.complete && qi.isEcho) s += `,"id":${qi.identifier},"seq":${qi.sequence}`;
    s += '}';
  }
  return s + '}';
}

const ND_KINDS: Partial<Record<number, NdpRecord['kind']>> = {
  [Icmp6Type.NEIGHBOR_SOLICITATION]: 'solicit',
  [Icmp6Type.NEIGHBOR_ADVERTISEMENT]: 'advert',
  [Icmp6Type.ROUTER_SOLICITATION]: 'router-solicit',
  [Icmp6Type.ROUTER_ADVERTISEMENT]: 'router-advert',
  [Icmp6Type.REDIRECT]: 'redirect',
};

/** The ND message's object, or undefined when the ICMPv6 message is not Neighbor Discovery. */
export function ndpJson(f: DecodedFrame): string | undefined {
  const m = f.icmp6!;
  const kind = ND_KINDS[m.type];
  if (!kind) return undefined;
  const nd = f.ndOptions;
  let options = '';
  for (let i = 0; i < nd.count; i++) options += (i ? ',' : '') + nd.type[i];
  let s = `{"kind":"${kind}","options":[${options}]`;
  if (kind === 'solicit' || kind === 'advert' || kind === 'redirect') s += `,"target":"${m.target}"`;
  if (nd.hasSourceLinkAddr) s += `,"sourceMac":"${nd.linkAddrText(NdOpt.SOURCE_LL)}"`;
  if (nd.hasTargetLinkAddr) s += `,"targetMac":"${nd.linkAddrText(NdOpt.TARGET_LL)}"`;
  if (kind === 'solicit') s += `,"probe":${f.ipv6!.srcUnspecified}`;
  if (kind === 'advert') s += `,"router":${m.naRouter},"solicited":${m.naSolicited},"override":${m.naOverride}`;
  if (kind === 'router-advert') s += `,"hopLimit":${m.raHopLimit},"lifetime":${m.raRouterLifetime}`;
  if (kind === 'redirect') s += `,"destination":"${m.redirectDestination}"`;
  return s + '}';
}
