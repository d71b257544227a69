import type { Resolver } from '../../model/endpoint.js';
import { IPV6, Icmp6Type, Ipv6Ext, formatIpv6, icmp6CodeName, ipProtoName, ipv6ExtName, isIpv6Extension, type DecodedFrame, type Icmp6View, type Ipv6ExtChain, type Ipv6View } from '../../decode/index.js';
import { sanitize } from '../../present/sanitize.js';
import type { FrameLayer } from './frame-layers.js';

function ip6Field(b: Uint8Array, o: number, r: Resolver, tsSec: number): string {
  const e = r.byIpv6?.(b, o, tsSec);
  const text = formatIpv6(b, o);
  return e ? `${text} (${sanitize(e.label)})` : text;
}

/** A next header field's value in words: an extension header's name, else the protocol's. */
function nextHeaderText(n: number): string {
  return `next header ${n} (${isIpv6Extension(n) ? ipv6ExtName(n) : ipProtoName(n)})`;
}

function ipv6Fields(ip: Ipv6View, r: Resolver, tsSec: number): string[] {
  return [
    `source ${ip6Field(ip.bytes, ip.srcOffset, r, tsSec)}`,
    `destination ${ip6Field(ip.bytes, ip.dstOffset, r, tsSec)}`,
    `payload length ${ip.payloadLength}, traffic class 0x${ip.trafficClass.toString(16).padStart(2, '0')}, flow label 0x${ip.flowLabel.toString(16).padStart(5, '0')}`,
    `hop limit ${ip.hopLimit}, ${nextHeaderText(ip.nextHeader)}`,
  ];
}

function icmp6Fields(f: DecodedFrame, m: Icmp6View, r: Resolver, tsSec: number): string[] {
  // Only type and code are read from a message cut short (the checksum may lie past the frame).
  if (!m.complete) return [`type ${m.type} (${m.typeName}), code ${m.code}`, `incomplete: ${m.available} of ${m.fixedLength} bytes`];
  const fields = [`type ${m.type} (${m.typeName}), code ${m.code}, checksum 0x${m.checksum.toString(16).padStart(4, '0')}`];
  if (m.isEcho) fields.push(`id ${m.identifier} (0x${m.identifier.toString(16)}), seq ${m.sequence}`);
  if (m.isError) fields.push(m.type === Icmp6Type.PACKET_TOO_BIG ? `mtu ${m.mtu}` : icmp6CodeName(m.type, m.code));
  if (m.type === Icmp6Type.PARAMETER_PROBLEM) fields.push(`pointer ${m.pointer}`);
  if (m.type === Icmp6Type.NEIGHBOR_SOLICITATION || m.type === Icmp6Type.NEIGHBOR_ADVERTISEMENT || m.type === Icmp6Type.REDIRECT) fields.push(`target ${ip6Field(m.bytes, m.targetOffset, r, tsSec)}`);
  if (m.type === Icmp6Type.NEIGHBOR_ADVERTISEMENT) fields.push(`flags ${[m.naRouter ? 'router' : '', m.naSolicited ? 'solicited' : '', m.naOverride ? 'override' : ''].filter(Boolean).join(' ') || 'none'}`);
  if (m.type === Icmp6Type.REDIRECT) fields.push(`destination ${m.redirectDestination}`);
  if (m.type === Icmp6Type.ROUTER_ADVERTISEMENT) fields.push(`hop limit ${m.raHopLimit}, router lifetime ${m.raRouterLifetime}s, reachable ${m.raReachableTime} ms, retrans ${m.raRetransTimer} ms${m.raManaged ? ', managed' : ''}${m.raOther ? ', other' : ''}`);
  if (m.type === Icmp6Type.MLD_QUERY || m.type === Icmp6Type.MLD_REPORT || m.type === Icmp6Type.MLD_DONE) fields.push(`group ${m.mldAddress}, max delay ${m.mldMaxDelay} ms`);
  if (m.type === Icmp6Type.MLD2_REPORT) fields.push(`${m.mld2Records} group records`);
  const nd = f.ndOptions;
  for (let i = 0; i < nd.count; i++) {
    const ll = (nd.type[i] === 1 || nd.type[i] === 2) && nd.length[i] === 8 ? ` ${nd.linkAddrAt(i)}` : '';
    fields.push(`option ${nd.name(i)} (${nd.length[i]} bytes)${ll}`);
  }
  return fields;
}

/** The IPv6 header, each extension header, ICMPv6 with its ND options, and an error's quote with its own extension headers. */
export function ipv6Layers(f: DecodedFrame, r: Resolver, tsSec: number): FrameLayer[] {
  const ip = f.ipv6;
  if (!ip) return [];
  const len = f.bytes.length;
  const layers: FrameLayer[] = [{ name: 'IPv6', start: ip.offset, end: Math.min(len, ip.offset + IPV6.headerLength), fields: ipv6Fields(ip, r, tsSec) }];
  layers.push(...extLayers(f.ipv6Ext, 'IPv6'));
  const m = f.icmp6;
  if (m) layers.push({ name: m.isNeighborDiscovery ? 'ICMPv6 (NDP)' : m.isMld ? 'ICMPv6 (MLD)' : 'ICMPv6', start: m.offset, end: m.offset + m.available, fields: icmp6Fields(f, m, r, tsSec) });
  const q = f.quotedIpv6;
  if (q) {
    const fields = ipv6Fields(q, r, tsSec);
    const qi = f.quotedIcmp6;
    if (qi) fields.push(`quoted ICMPv6 ${qi.typeName}, code ${qi.code}${qi.complete && qi.isEcho ? `, id ${qi.identifier}, seq ${qi.sequence}` : ''}`);
    layers.push({ name: 'Quoted datagram', start: q.offset, end: q.offset + q.available, fields });
    layers.push(...extLayers(f.quotedIpv6Ext, 'Quoted IPv6'));
  }
  return layers;
}

/** One layer per extension header of a chain (the frame's, or an error's quote), in wire order. */
function extLayers(ext: Ipv6ExtChain, prefix: string): FrameLayer[] {
  const layers: FrameLayer[] = [];
  for (let i = 0; i < ext.count; i++) {
    const fields = [`${nextHeaderText(ext.nextHeader(i))}, ${ext.length[i]} bytes`];
    if (i === ext.fragmentIndex) fields.push(`fragment offset ${ext.fragmentOffset}${ext.moreFragments ? ', more fragments' : ''}, id 0x${ext.fragmentId.toString(16)}`);
    if (ext.type[i] === Ipv6Ext.HOP_BY_HOP && ext.routerAlert) fields.push('router alert');
    layers.push({ name: `${prefix} ${ext.name(i)}`, start: ext.offset[i], end: ext.offset[i] + ext.length[i], fields });
  }
  return layers;
}

/** How many layers `ipv6Layers` returns, without building them. */
export function ipv6LayerCount(f: DecodedFrame): number {
  if (!f.ipv6) return 0;
  return 1 + f.ipv6Ext.count + (f.icmp6 ? 1 : 0) + (f.quotedIpv6 ? 1 + f.quotedIpv6Ext.count : 0);
}
