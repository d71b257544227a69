export { ArpOp, ArpView } from './arp.js';
export { formatIpv4, formatIpv4Number, formatIpv6, formatMac, formatMacNumber, internetChecksum } from './bytes.js';
export { FrameDecoder, type DecoderOptions } from './decoder.js';
export { ETH, EthernetView } from './ethernet.js';
export { DecodedFrame, type LinkKind } from './frame.js';
export { ICMP, IcmpTimeExceeded, IcmpType, IcmpView, icmpCodeName, icmpTypeName } from './icmp.js';
export { Ipv4View } from './ipv4.js';
export { Icmp6Type, Icmp6View, icmp6CodeName, icmp6TypeName } from './icmp6.js';
export { IPV6, Ipv6View } from './ipv6.js';
export { Ipv6Ext, Ipv6ExtChain, ipv6ExtName, isIpv6Extension } from './ipv6-ext.js';
export { NdOpt, NdOptions, ndOptionName } from './nd-options.js';
export { EtherType, IpProto, LinkType, etherTypeName, ipProtoName, linkTypeName } from './protocol-numbers.js';
export { describeProblem, type DecodeProblem, type ProblemCode } from './problem.js';
export { SllView } from './sll.js';
export { VLAN, VlanStack } from './vlan.js';
export { VXLAN_PORT, VxlanStack } from './vxlan.js';
export {
  emitArp,
  emitArpFrame,
  emitEchoFrame,
  emitEthernet,
  emitIcmp,
  emitIcmp6,
  emitIpv4,
  emitIpv6,
  emitUdp,
  type ArpFields,
  type EthernetFields,
  type HostAddress,
  type Icmp6Fields,
  type IcmpFields,
  type Ipv4Fields,
  type Ipv6Fields,
  type UdpFields,
} from './emit.js';
