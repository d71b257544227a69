/** Protocol numbers by name (ethertypes, IP protocols, link types), and the one table of names for what the decoder does not open. */

export const enum EtherType {
  IPv4 = 0x0800,
  ARP = 0x0806,
  RARP = 0x8035,
  VLAN = 0x8100,
  QinQ = 0x88a8,
  /** Pre-standard QinQ tag protocol identifiers, still seen on switches. */
  QinQ_9100 = 0x9100,
  QinQ_9200 = 0x9200,
  IPv6 = 0x86dd,
}

/**
 * Tag protocol identifiers that carry an 802.1Q-shaped tag (tshark treats all of these as VLAN).
 * Compares, not a Set: this runs on every frame, and `Set.has` cost a tenth of a decode.
 */
export function isVlanTpid(type: number): boolean {
  return type === EtherType.VLAN || type === EtherType.QinQ || type === EtherType.QinQ_9100 || type === EtherType.QinQ_9200;
}

const ETHERTYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [0x0800, 'IPv4'],
  [0x0806, 'ARP'],
  [0x8035, 'RARP'],
  [0x8100, '802.1Q'],
  [0x88a8, '802.1ad'],
  [0x86dd, 'IPv6'],
  [0x88cc, 'LLDP'],
  [0x8847, 'MPLS'],
  [0x8848, 'MPLS'],
  [0x8863, 'PPPoE-D'],
  [0x8864, 'PPPoE'],
  [0x888e, 'EAPOL'],
  [0x88f7, 'PTP'],
  [0x8809, 'Slow'],
  [0x9000, 'Loopback'],
  [0x88e5, 'MACsec'],
  [0x8906, 'FCoE'],
  [0x22f0, 'AVTP'],
]);

export function etherTypeName(type: number): string {
  return ETHERTYPE_NAMES.get(type) ?? `EtherType 0x${type.toString(16).padStart(4, '0')}`;
}

export const enum IpProto {
  ICMP = 1,
  TCP = 6,
  UDP = 17,
  ICMPv6 = 58,
}

const IP_PROTO_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'ICMP'],
  [2, 'IGMP'],
  [4, 'IPIP'],
  [6, 'TCP'],
  [17, 'UDP'],
  [41, 'IPv6'],
  [47, 'GRE'],
  [50, 'ESP'],
  [51, 'AH'],
  [58, 'ICMPv6'],
  [89, 'OSPF'],
  [103, 'PIM'],
  [112, 'VRRP'],
  [132, 'SCTP'],
]);

/** Every protocol number's name, built once: the decoder names each IPv4 frame by an array read. */
const IP_PROTO_TABLE: readonly string[] = Array.from({ length: 256 }, (_, p) => IP_PROTO_NAMES.get(p) ?? `IP proto ${p}`);

export function ipProtoName(proto: number): string {
  return IP_PROTO_TABLE[proto & 255];
}

export const enum LinkType {
  NULL = 0,
  ETHERNET = 1,
  PPP = 9,
  RAW = 101,
  LINUX_SLL = 113,
  IPV4 = 228,
  IPV6 = 229,
  LINUX_SLL2 = 276,
}

const LINK_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'NULL'],
  [1, 'Ethernet'],
  [9, 'PPP'],
  [101, 'Raw IP'],
  [105, '802.11'],
  [113, 'Linux SLL'],
  [127, '802.11 radiotap'],
  [228, 'Raw IPv4'],
  [229, 'Raw IPv6'],
  [253, 'Netlink'],
  [276, 'Linux SLL2'],
]);

export function linkTypeName(linkType: number): string {
  return LINK_NAMES.get(linkType) ?? `link type ${linkType}`;
}
