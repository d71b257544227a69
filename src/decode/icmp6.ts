import { formatIpv6, u16, u32 } from './bytes.js';
import { ByteView } from './byte-view.js';

/**
 * ICMPv6 (RFC 4443) header: type(0) code(1) checksum(2..4) then a type-specific body. Neighbor
 * Discovery (RFC 4861) and MLD (RFC 2710, 3810) are ICMPv6 types; their fixed parts are listed in
 * FIXED_LEN, and the decoder checks that length once, so every getter below reads inside it.
 */
export const ICMP6_HEADER_LEN = 8;

export const Icmp6Type = {
  DEST_UNREACHABLE: 1,
  PACKET_TOO_BIG: 2,
  TIME_EXCEEDED: 3,
  PARAMETER_PROBLEM: 4,
  ECHO_REQUEST: 128,
  ECHO_REPLY: 129,
  MLD_QUERY: 130,
  MLD_REPORT: 131,
  MLD_DONE: 132,
  ROUTER_SOLICITATION: 133,
  ROUTER_ADVERTISEMENT: 134,
  NEIGHBOR_SOLICITATION: 135,
  NEIGHBOR_ADVERTISEMENT: 136,
  REDIRECT: 137,
  MLD2_REPORT: 143,
} as const;

/** Offsets inside the message. */
const ID = 4;
const SEQ = 6;
const MTU = 4;
const POINTER = 4;
/** NS, NA, Redirect: target address; Redirect: destination address after it. */
const TARGET = 8;
const REDIRECT_DST = 24;
const NA_FLAGS = 4;
const RA_HOP_LIMIT = 4;
const RA_FLAGS = 5;
const RA_LIFETIME = 6;
const RA_REACHABLE = 8;
const RA_RETRANS = 12;
const MLD_MAX_DELAY = 4;
const MLD_ADDRESS = 8;
const MLD2_RECORDS = 6;

/** Fixed part of each known type (where ND options begin); others need the 8-byte header only. */
const FIXED_LEN: readonly number[] = Array.from({ length: 256 }, (_, t) =>
  t === 133 ? 8 : t === 134 ? 16 : t === 135 || t === 136 ? 24 : t === 137 ? 40 : t === 130 || t === 131 || t === 132 ? 24 : 8,
);
/** Types followed by ND options (RFC 4861 §4). */
const HAS_ND_OPTIONS: readonly boolean[] = Array.from({ length: 256 }, (_, t) => t >= 133 && t <= 137);

const TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'destination unreachable'],
  [2, 'packet too big'],
  [3, 'time exceeded'],
  [4, 'parameter problem'],
  [128, 'echo request'],
  [129, 'echo reply'],
  [130, 'multicast listener query'],
  [131, 'multicast listener report'],
  [132, 'multicast listener done'],
  [133, 'router solicitation'],
  [134, 'router advertisement'],
  [135, 'neighbor solicitation'],
  [136, 'neighbor advertisement'],
  [137, 'redirect'],
  [143, 'multicast listener report v2'],
]);

const UNREACH_CODES = ['no route', 'administratively prohibited', 'beyond scope of source', 'address unreachable', 'port unreachable', 'source address failed policy', 'reject route'];
const PARAM_CODES = ['erroneous header field', 'unrecognized next header', 'unrecognized IPv6 option'];

export function icmp6TypeName(type: number): string {
  return TYPE_NAMES.get(type) ?? `type ${type}`;
}

/** The reason an error message gives, in words (its code read against its type). */
export function icmp6CodeName(type: number, code: number): string {
  if (type === 1) return UNREACH_CODES[code] ?? `code ${code}`;
  if (type === 3) return code === 0 ? 'hop limit exceeded' : code === 1 ? 'fragment reassembly time exceeded' : `code ${code}`;
  if (type === 4) return PARAM_CODES[code] ?? `code ${code}`;
  return `code ${code}`;
}

export class Icmp6View extends ByteView {
  /** ICMPv6 message bytes present, bounded by the datagram and the capture. */
  available = 0;
  /**
   * The fixed part of this type is present: every getter below may be read. When false only
   * `type` and `code` are (the decoder keeps a view once 2 bytes are there, as tshark shows them).
   */
  complete = false;

  get type(): number {
    return this.bytes[this.offset];
  }
  get code(): number {
    return this.bytes[this.offset + 1];
  }
  get checksum(): number {
    return u16(this.bytes, this.offset + 2);
  }
  /** Bytes the fixed part of this type needs; the decoder sets no view shorter than this. */
  get fixedLength(): number {
    return FIXED_LEN[this.type];
  }
  get typeName(): string {
    return icmp6TypeName(this.type);
  }
  get isEcho(): boolean {
    return this.type === Icmp6Type.ECHO_REQUEST || this.type === Icmp6Type.ECHO_REPLY;
  }
  /** Error messages (types below 128) quote the datagram that caused them. */
  get isError(): boolean {
    return this.type < 128;
  }
  get isNeighborDiscovery(): boolean {
    return HAS_ND_OPTIONS[this.type];
  }
  get isMld(): boolean {
    const t = this.type;
    return t === 130 || t === 131 || t === 132 || t === 143;
  }
  get identifier(): number {
    return u16(this.bytes, this.offset + ID);
  }
  get sequence(): number {
    return u16(this.bytes, this.offset + SEQ);
  }
  /** Packet too big: the MTU of the next hop. */
  get mtu(): number {
    return u32(this.bytes, this.offset + MTU);
  }
  /** Parameter problem: offset of the faulty byte in the quoted datagram. */
  get pointer(): number {
    return u32(this.bytes, this.offset + POINTER);
  }
  /** NS, NA, Redirect: the address being resolved, announced or redirected to. */
  get targetOffset(): number {
    return this.offset + TARGET;
  }
  get target(): string {
    return formatIpv6(this.bytes, this.offset + TARGET);
  }
  get redirectDestination(): string {
    return formatIpv6(this.bytes, this.offset + REDIRECT_DST);
  }
  get naRouter(): boolean {
    return (this.bytes[this.offset + NA_FLAGS] & 0x80) !== 0;
  }
  get naSolicited(): boolean {
    return (this.bytes[this.offset + NA_FLAGS] & 0x40) !== 0;
  }
  get naOverride(): boolean {
    return (this.bytes[this.offset + NA_FLAGS] & 0x20) !== 0;
  }
  get raHopLimit(): number {
    return this.bytes[this.offset + RA_HOP_LIMIT];
  }
  get raManaged(): boolean {
    return (this.bytes[this.offset + RA_FLAGS] & 0x80) !== 0;
  }
  get raOther(): boolean {
    return (this.bytes[this.offset + RA_FLAGS] & 0x40) !== 0;
  }
  /** Seconds; 0 means "not a default router". */
  get raRouterLifetime(): number {
    return u16(this.bytes, this.offset + RA_LIFETIME);
  }
  get raReachableTime(): number {
    return u32(this.bytes, this.offset + RA_REACHABLE);
  }
  get raRetransTimer(): number {
    return u32(this.bytes, this.offset + RA_RETRANS);
  }
  /** MLDv1 (and the v1 part of a v2 query): maximum response delay in ms, and the group. */
  get mldMaxDelay(): number {
    return u16(this.bytes, this.offset + MLD_MAX_DELAY);
  }
  get mldAddress(): string {
    return formatIpv6(this.bytes, this.offset + MLD_ADDRESS);
  }
  /** MLDv2 report: number of multicast address records. */
  get mld2Records(): number {
    return u16(this.bytes, this.offset + MLD2_RECORDS);
  }
  get bodyOffset(): number {
    return this.offset + ICMP6_HEADER_LEN;
  }
  get optionsOffset(): number {
    return this.offset + FIXED_LEN[this.type];
  }
}
