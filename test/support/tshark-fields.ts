import { spawnSync } from 'node:child_process';
import type { DecodedFrame, EthernetView, IcmpView, Ipv4View } from '../../src/decode/index.js';

const hasIdent = (v: IcmpView | null): boolean => v !== null && v.carriesIdSeq && v.available >= 6;

/**
 * The tshark fields our decoder answers to, and our values for them in tshark's notation: repeated
 * fields (stacked tags, an ICMP error's quoted datagram) are comma lists, outer layer first.
 */
export const FIELDS = [
  'eth.src', 'eth.dst', 'eth.type', 'vlan.id', 'arp.opcode', 'arp.src.hw_mac', 'arp.src.proto_ipv4',
  'arp.dst.hw_mac', 'arp.dst.proto_ipv4', 'ip.src', 'ip.dst', 'ip.ttl', 'icmp.type', 'icmp.code',
  'icmp.ident', 'icmp.seq',
] as const;
export type Field = (typeof FIELDS)[number];

export function tsharkLike(f: DecodedFrame): Record<Field, string> {
  const list = (...xs: (string | number | undefined)[]) => xs.filter((x) => x !== undefined).join(',');
  const arp = f.arp;
  const ip = f.ipv4;
  const q = f.quotedIpv4;
  const icmp = f.icmp;
  const qi = f.quotedIcmp;
  const hex4 = (n: number) => `0x${n.toString(16).padStart(4, '0')}`;
  // A VXLAN frame's tunnels come first in tshark's lists, outermost first, then the inner frame.
  const t = f.vxlan;
  const outerEth = (pick: (e: EthernetView) => string) =>
    Array.from({ length: t.count }, (_, i) => t.outerEth(i)).filter((e) => e !== null).map((e) => pick(e!));
  const outerIp = (pick: (ip: Ipv4View) => string | number) => Array.from({ length: t.count }, (_, i) => pick(t.outerIpv4(i)));
  const ethType = (e: EthernetView) => (e.typeOrLength > 1500 ? hex4(e.typeOrLength) : undefined);
  return {
    'eth.src': list(...outerEth((e) => e.src), f.eth?.src),
    'eth.dst': list(...outerEth((e) => e.dst), f.eth?.dst),
    'eth.type': list(...outerEth((e) => ethType(e) ?? ''), f.eth ? ethType(f.eth) : undefined),
    // tshark files 802.1ad (0x88a8) tags under ieee8021ad.id, not vlan.id.
    'vlan.id': f.vlan.ids().filter((_, i) => f.vlan.tpid(i) !== 0x88a8).join(','),
    'arp.opcode': arp ? String(arp.operation) : '',
    'arp.src.hw_mac': arp?.hasMacs ? arp.senderMac : '',
    'arp.src.proto_ipv4': arp?.hasIpv4 ? arp.senderIp : '',
    'arp.dst.hw_mac': arp?.hasMacs ? arp.targetMac : '',
    'arp.dst.proto_ipv4': arp?.hasIpv4 ? arp.targetIp : '',
    'ip.src': list(...outerIp((o) => o.src), ip?.src, q?.src),
    'ip.dst': list(...outerIp((o) => o.dst), ip?.dst, q?.dst),
    'ip.ttl': list(...outerIp((o) => o.ttl), ip?.ttl, q?.ttl),
    'icmp.type': list(icmp?.type, qi?.type),
    'icmp.code': list(icmp?.code, qi?.code),
    // The identifier is printed once its 2 bytes are captured, before the sequence number's.
    'icmp.ident': list(hasIdent(icmp) ? icmp!.identifier : undefined, hasIdent(qi) ? qi!.identifier : undefined),
    'icmp.seq': list(icmp?.hasIdSeq ? icmp.sequence : undefined, qi?.hasIdSeq ? qi.sequence : undefined),
  };
}


/** IPv6, its extension headers, ICMPv6, ND and MLD, in tshark's notation (quoted datagrams after the outer one). */
export const IPV6_FIELDS = [
  'ipv6.src', 'ipv6.dst', 'ipv6.hlim', 'ipv6.nxt', 'ipv6.plen', 'ipv6.flow', 'ipv6.tclass',
  'ipv6.hopopts.nxt', 'ipv6.dstopts.nxt', 'ipv6.routing.nxt', 'ipv6.fraghdr.nxt', 'ipv6.fraghdr.offset', 'ipv6.fraghdr.more', 'ipv6.fraghdr.ident',
  'icmpv6.type', 'icmpv6.code', 'icmpv6.echo.identifier', 'icmpv6.echo.sequence_number', 'icmpv6.mtu', 'icmpv6.pointer',
  'icmpv6.nd.ns.target_address', 'icmpv6.nd.na.target_address', 'icmpv6.nd.na.flag.r', 'icmpv6.nd.na.flag.s', 'icmpv6.nd.na.flag.o',
  'icmpv6.nd.ra.cur_hop_limit', 'icmpv6.nd.ra.router_lifetime', 'icmpv6.nd.rd.target_address', 'icmpv6.rd.na.destination_address',
  'icmpv6.opt.type', 'icmpv6.opt.length', 'icmpv6.opt.linkaddr', 'icmpv6.opt.mtu',
  'icmpv6.mld.multicast_address', 'icmpv6.mldr.nb_mcast_records',
] as const;
export type Ipv6Field = (typeof IPV6_FIELDS)[number];

export function tsharkLikeIpv6(f: DecodedFrame): Record<Ipv6Field, string> {
  const list = (...xs: (string | number | undefined)[]) => xs.filter((x) => x !== undefined).join(',');
  const hex = (n: number, w: number) => `0x${n.toString(16).padStart(w, '0')}`;
  const ip = f.ipv6;
  const q = f.quotedIpv6;
  const ext = f.ipv6Ext;
  const extNext = (type: number) => {
    const out: number[] = [];
    for (let i = 0; i < ext.count; i++) if (ext.type[i] === type) out.push(f.bytes[ext.offset[i]]);
    return out.join(',');
  };
  const frag = ext.fragmentIndex;
  const m = f.icmp6?.complete ? f.icmp6 : null;
  const t = m?.type ?? -1;
  const qi = f.quotedIcmp6;
  const nd = f.ndOptions;
  const opts = (fn: (i: number) => string | undefined) => {
    const out: string[] = [];
    for (let i = 0; i < nd.count; i++) {
      const v = fn(i);
      if (v !== undefined) out.push(v);
    }
    return out.join(',');
  };
  const echoId = (v: typeof qi) => (v && v.complete && v.isEcho ? hex(v.identifier, 4) : undefined);
  const echoSeq = (v: typeof qi) => (v && v.complete && v.isEcho ? v.sequence : undefined);
  const bit = (b: boolean) => (b ? '1' : '0');
  return {
    'ipv6.src': list(ip?.src, q?.src),
    'ipv6.dst': list(ip?.dst, q?.dst),
    'ipv6.hlim': list(ip?.hopLimit, q?.hopLimit),
    'ipv6.nxt': list(ip?.nextHeader, q?.nextHeader),
    'ipv6.plen': list(ip?.payloadLength, q?.payloadLength),
    'ipv6.flow': list(ip ? hex(ip.flowLabel, 6) : undefined, q ? hex(q.flowLabel, 6) : undefined),
    'ipv6.tclass': list(ip ? hex(ip.trafficClass, 8) : undefined, q ? hex(q.trafficClass, 8) : undefined),
    'ipv6.hopopts.nxt': extNext(0),
    'ipv6.dstopts.nxt': extNext(60),
    'ipv6.routing.nxt': extNext(43),
    'ipv6.fraghdr.nxt': extNext(44),
    'ipv6.fraghdr.offset': frag < 0 ? '' : String(ext.fragmentOffset / 8),
    'ipv6.fraghdr.more': frag < 0 ? '' : bit(ext.moreFragments),
    'ipv6.fraghdr.ident': frag < 0 ? '' : hex(ext.fragmentId, 8),
    'icmpv6.type': list(f.icmp6?.type, qi?.type),
    'icmpv6.code': list(f.icmp6?.code, qi?.code),
    'icmpv6.echo.identifier': list(echoId(m), echoId(qi)),
    'icmpv6.echo.sequence_number': list(echoSeq(m), echoSeq(qi)),
    'icmpv6.mtu': t === 2 ? String(m!.mtu) : '',
    'icmpv6.pointer': t === 4 ? String(m!.pointer) : '',
    'icmpv6.nd.ns.target_address': t === 135 ? m!.target : '',
    'icmpv6.nd.na.target_address': t === 136 ? m!.target : '',
    'icmpv6.nd.na.flag.r': t === 136 ? bit(m!.naRouter) : '',
    'icmpv6.nd.na.flag.s': t === 136 ? bit(m!.naSolicited) : '',
    'icmpv6.nd.na.flag.o': t === 136 ? bit(m!.naOverride) : '',
    'icmpv6.nd.ra.cur_hop_limit': t === 134 ? String(m!.raHopLimit) : '',
    'icmpv6.nd.ra.router_lifetime': t === 134 ? String(m!.raRouterLifetime) : '',
    'icmpv6.nd.rd.target_address': t === 137 ? m!.target : '',
    'icmpv6.rd.na.destination_address': t === 137 ? m!.redirectDestination : '',
    'icmpv6.opt.type': opts((i) => String(nd.type[i])),
    'icmpv6.opt.length': opts((i) => String(nd.length[i] / 8)),
    'icmpv6.opt.linkaddr': opts((i) => (nd.type[i] === 1 || nd.type[i] === 2) && nd.length[i] === 8 ? nd.linkAddrAt(i) : undefined),
    'icmpv6.opt.mtu': nd.mtu >= 0 ? String(nd.mtu) : '',
    'icmpv6.mld.multicast_address': t === 130 || t === 131 || t === 132 ? m!.mldAddress : '',
    'icmpv6.mldr.nb_mcast_records': t === 143 ? String(m!.mld2Records) : '',
  };
}

/**
 * tshark's fields table for `file`, one record per frame keyed by field name. tshark lists pcapng
 * custom blocks (our topology snapshot) as frames of protocol PCAPNG: those are left out. It exits
 * non-zero on a file damaged after its last good frame; the frames it printed count.
 */
export function tsharkRows(file: string, fields: readonly string[], options: readonly string[] = []): Record<string, string>[] {
  const args = ['-n', '-r', file, '-T', 'fields', '-E', 'header=y', '-E', 'separator=/t', ...options];
  for (const f of ['_ws.col.Protocol', ...fields]) args.push('-e', f);
  const out = spawnSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 }).stdout;
  const lines = out.trim().split('\n');
  const header = lines[0].split('\t');
  const rows = lines.slice(1).map((l) => Object.fromEntries(l.split('\t').map((v, i) => [header[i], v])));
  return rows.filter((r) => r['_ws.col.Protocol'] !== 'PCAPNG').map(({ '_ws.col.Protocol': _, ...r }) => r);
}
