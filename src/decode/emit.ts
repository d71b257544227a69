import { ARP, ArpHardware, ArpOp } from './arp.js';
import { internetChecksum } from './bytes.js';
import { ETH } from './ethernet.js';
import { ICMP } from './icmp.js';
import { ICMP6 } from './icmp6.js';
import { IPV4 } from './ipv4.js';
import { IPV6 } from './ipv6.js';
import { EtherType, IpProto } from './protocol-numbers.js';
import { UDP } from './udp.js';

/**
 * One emitter per layer, writing at the offsets its view reads, so a frame built from values (by
 * the bench or a test) and the decoder share one statement of each header's layout. Each takes its
 * payload already built and returns the layer with the payload behind it; checksums are computed.
 */

function putU16(b: Uint8Array, o: number, n: number): void {
  b[o] = (n >>> 8) & 0xff;
  b[o + 1] = n & 0xff;
}

function putU32(b: Uint8Array, o: number, n: number): void {
  putU16(b, o, Math.floor(n / 0x10000) & 0xffff);
  putU16(b, o + 2, n & 0xffff);
}

/** A MAC as the 48-bit number `mac48` reads. */
function putMac(b: Uint8Array, o: number, mac: number): void {
  putU16(b, o, Math.floor(mac / 0x100000000));
  putU32(b, o + 2, mac % 0x100000000);
}

function layer(headerLength: number, payload: Uint8Array): Uint8Array {
  const b = new Uint8Array(headerLength + payload.length);
  b.set(payload, headerLength);
  return b;
}

export interface EthernetFields {
  dst: number;
  src: number;
  type: number;
}

export function emitEthernet(f: EthernetFields, payload: Uint8Array): Uint8Array {
  const b = layer(ETH.headerLength, payload);
  putMac(b, ETH.dst, f.dst);
  putMac(b, ETH.src, f.src);
  putU16(b, ETH.typeOrLength, f.type);
  return b;
}

export interface ArpFields {
  op: ArpOp;
  senderMac: number;
  senderIp: number;
  targetMac: number;
  targetIp: number;
}

const MAC_LEN = 6;
const IPV4_LEN = 4;

/** An Ethernet/IPv4 ARP message (28 bytes). */
export function emitArp(f: ArpFields): Uint8Array {
  const b = new Uint8Array(ARP.addresses + 2 * (MAC_LEN + IPV4_LEN));
  putU16(b, ARP.hardwareType, ArpHardware.ETHERNET);
  putU16(b, ARP.protocolType, EtherType.IPv4);
  b[ARP.hardwareLength] = MAC_LEN;
  b[ARP.protocolLength] = IPV4_LEN;
  putU16(b, ARP.operation, f.op);
  let o: number = ARP.addresses;
  putMac(b, o, f.senderMac);
  putU32(b, (o += MAC_LEN), f.senderIp);
  putMac(b, (o += IPV4_LEN), f.targetMac);
  putU32(b, o + MAC_LEN, f.targetIp);
  return b;
}

/** A host's addresses as the decoder reads them: MAC as a 48-bit number, IPv4 as a uint32. */
export interface HostAddress {
  mac: number;
  ip: number;
}

const BROADCAST_MAC = 0xff_ff_ff_ff_ff_ff;

/** A whole ARP frame: a request is broadcast and asks with the target MAC zero; a reply goes to the target. */
export function emitArpFrame(op: ArpOp, sender: HostAddress, target: HostAddress): Uint8Array {
  const request = op === ArpOp.REQUEST;
  const body = emitArp({ op, senderMac: sender.mac, senderIp: sender.ip, targetMac: request ? 0 : target.mac, targetIp: target.ip });
  return emitEthernet({ dst: request ? BROADCAST_MAC : target.mac, src: sender.mac, type: EtherType.ARP }, body);
}

export interface Ipv4Fields {
  src: number;
  dst: number;
  protocol: IpProto | number;
  ttl?: number;
  identification?: number;
}

const IPV4_VERSION_IHL = 0x45;

/** A 20-byte IPv4 header (no options) with its checksum. */
export function emitIpv4(f: Ipv4Fields, payload: Uint8Array): Uint8Array {
  const b = layer(IPV4.minHeaderLength, payload);
  b[IPV4.versionIhl] = IPV4_VERSION_IHL;
  putU16(b, IPV4.totalLength, b.length);
  putU16(b, IPV4.identification, f.identification ?? 0);
  b[IPV4.ttl] = f.ttl ?? 64;
  b[IPV4.protocol] = f.protocol;
  putU32(b, IPV4.src, f.src);
  putU32(b, IPV4.dst, f.dst);
  putU16(b, IPV4.checksum, internetChecksum(b, 0, IPV4.minHeaderLength));
  return b;
}

export interface IcmpFields {
  type: number;
  code?: number;
  /** Echo identifier; with `sequence`, the second word of the header. */
  identifier?: number;
  sequence?: number;
}

/** An ICMP message: the 8-byte header, then `body` (echo data, or the quoted datagram of an error). */
export function emitIcmp(f: IcmpFields, body: Uint8Array): Uint8Array {
  const b = layer(ICMP.headerLength, body);
  b[ICMP.type] = f.type;
  b[ICMP.code] = f.code ?? 0;
  putU16(b, ICMP.identifier, f.identifier ?? 0);
  putU16(b, ICMP.sequence, f.sequence ?? 0);
  putU16(b, ICMP.checksum, internetChecksum(b, 0, b.length));
  return b;
}

/** Ping's default: 56 bytes of echo data. */
const ECHO_DATA_BYTES = 56;

/**
 * A whole ICMP echo frame from `from` to `to` with ping's 56 bytes of (zero) data. `link` is the
 * Ethernet pair, the hosts' own MACs unless the frame was routed.
 */
export function emitEchoFrame(
  type: number,
  from: HostAddress,
  to: HostAddress,
  identifier: number,
  sequence: number,
  link: Omit<EthernetFields, 'type'> = { src: from.mac, dst: to.mac },
): Uint8Array {
  const icmp = emitIcmp({ type, identifier, sequence }, new Uint8Array(ECHO_DATA_BYTES));
  return emitEthernet({ ...link, type: EtherType.IPv4 }, emitIpv4({ src: from.ip, dst: to.ip, protocol: IpProto.ICMP }, icmp));
}

export interface UdpFields {
  srcPort: number;
  dstPort: number;
}

/** A UDP header with checksum 0 (none, as IPv4 allows). */
export function emitUdp(f: UdpFields, payload: Uint8Array): Uint8Array {
  const b = layer(UDP.headerLength, payload);
  putU16(b, UDP.srcPort, f.srcPort);
  putU16(b, UDP.dstPort, f.dstPort);
  putU16(b, UDP.length, b.length);
  return b;
}

export interface Ipv6Fields {
  /** 16 bytes each. */
  src: Uint8Array;
  dst: Uint8Array;
  nextHeader: IpProto | number;
  hopLimit?: number;
}

const IPV6_VERSION_WORD = 0x6000;

/** A 40-byte IPv6 header; `payload` holds any extension headers and the upper layer. */
export function emitIpv6(f: Ipv6Fields, payload: Uint8Array): Uint8Array {
  const b = layer(IPV6.headerLength, payload);
  putU16(b, IPV6.versionClassFlow, IPV6_VERSION_WORD);
  putU16(b, IPV6.payloadLength, payload.length);
  b[IPV6.nextHeader] = f.nextHeader;
  b[IPV6.hopLimit] = f.hopLimit ?? 255;
  b.set(f.src, IPV6.src);
  b.set(f.dst, IPV6.dst);
  return b;
}

export interface Icmp6Fields {
  type: number;
  code?: number;
  /** The addresses of the datagram that will carry it: the checksum covers them (RFC 4443 §2.3). */
  src: Uint8Array;
  dst: Uint8Array;
}

/** An ICMPv6 message: type, code and checksum, then `rest` (the type's fields, options, quote). */
export function emitIcmp6(f: Icmp6Fields, rest: Uint8Array): Uint8Array {
  const b = layer(ICMP6.identifier, rest);
  b[ICMP6.type] = f.type;
  b[ICMP6.code] = f.code ?? 0;
  const pseudo = new Uint8Array(2 * IPV6.addressLength + 8 + b.length);
  pseudo.set(f.src, 0);
  pseudo.set(f.dst, IPV6.addressLength);
  putU32(pseudo, 2 * IPV6.addressLength, b.length);
  pseudo[2 * IPV6.addressLength + 7] = IpProto.ICMPv6;
  pseudo.set(b, 2 * IPV6.addressLength + 8);
  putU16(b, ICMP6.checksum, internetChecksum(pseudo, 0, pseudo.length));
  return b;
}
