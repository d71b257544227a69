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

