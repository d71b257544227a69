import { formatIpv6, u16, u32 } from './bytes.js';
import { IPV6 } from './ipv6.js';
import { ByteView } from './byte-view.js';

/**
 * ICMPv6 (RFC 4443) header: type(0) code(1) checksum(2..4) then a type-specific body. Neighbor
 * Discovery (RFC 4861) and MLD (RFC 2710, 3810) are ICMPv6 types; their fixed parts are listed in
 * FIXED_LEN, which the decoder checks once (`complete`).
 */

export const enum Icmp6Type {
  DEST_UNREACHABLE = 1,
  PACKET_TOO_BIG = 2,
  TIME_EXCEEDED = 3,
  PARAMETER_PROBLEM = 4,
  ECHO_REQUEST = 128,
  ECHO_REPLY = 129,
  MLD_QUERY = 130,
  MLD_REPORT = 131,
  MLD_DONE = 132,
  ROUTER_SOLICITATION = 133,
  ROUTER_ADVERTISEMENT = 134,
  NEIGHBOR_SOLICITATION = 135,
  NEIGHBOR_ADVERTISEMENT = 136,
  REDIRECT = 137,
  MLD2_REPORT = 143,
}

/** Field offsets inside the message, per type (RFC 4443, RFC 4861, RFC 2710, RFC 3810). */
export const enum ICMP6 {
  type = 0,
  code = 1,
  checksum = 2,
  identifier = 4,
  sequence = 6,
  mtu = 4,
  pointer = 4,
  naFlags = 4,
  raHopLimit = 4,
  raFlags = 5,
  raLifetime = 6,
  raReachable = 8,
  raRetrans = 12,
  mldMaxDelay = 4,
  mld2Records = 6,
  /** NS, NA, Redirect: target address; Redirect: destination address after it. */
  target = 8,
  redirectDestination = 24,
  mldAddress = 8,
  headerLength = 8,
}


/** Fixed part of each known type (where ND options begin); others need the 8-byte header only. */
const fixedLength = (t: number): number =>
  t === Icmp6Type.ROUTER_SOLICITATION ? 8
  : t === Icmp6Type.ROUTER_ADVERTISEMENT ? 16
  : t === Icmp6Type.NEIGHBOR_SOLICITATION || t === Icmp6Type.NEIGHBOR_ADVERTISEMENT ? 24
  : t === Icmp6Type.REDIRECT ? 40
  : t === Icmp6Type.MLD_QUERY || t === Icmp6Type.MLD_REPORT || t === Icmp6Type.MLD_DONE ? 24
  : ICMP6.headerLength;
const FIXED_LEN: readonly number[] = Array.from({ length: 256 }, (_, t) => fixedLength(t));
/** Types followed by ND options (RFC 4861 §4). */
const HAS_ND_OPTIONS: readonly boolean[] = Array.from({ length: 256 }, (_, t) => t >= Icmp6Type.ROUTER_SOLICITATION && t <= Icmp6Type.REDIRECT);
/** Types below this are errors (RFC 4443 §2.1), which quote the datagram that caused them. */
const FIRST_INFO_TYPE = 128;

const TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [Icmp6Type.DEST_UNREACHABLE, 'destination unreachable'],
  [Icmp6Type.PACKET_TOO_BIG, 'packet too big'],
  [Icmp6Type.TIME_EXCEEDED, 'time exceeded'],
  [Icmp6Type.PARAMETER_PROBLEM, 'parameter problem'],
  [Icmp6Type.ECHO_REQUEST, 'echo request'],
  [Icmp6Type.ECHO_REPLY, 'echo reply'],
  [Icmp6Type.MLD_QUERY, 'multicast listener query'],
  [Icmp6Type.MLD_REPORT, 'multicast listener report'],
  [Icmp6Type.MLD_DONE, 'multicast listener done'],
  [Icmp6Type.ROUTER_SOLICITATION, 'router solicitation'],
  [Icmp6Type.ROUTER_ADVERTISEMENT, 'router advertisement'],
  [Icmp6Type.NEIGHBOR_SOLICITATION, 'neighbor solicitation'],
  [Icmp6Type.NEIGHBOR_ADVERTISEMENT, 'neighbor advertisement'],
  [Icmp6Type.REDIRECT, 'redirect'],
  [Icmp6Type.MLD2_REPORT, 'multicast listener report v2'],
]);

const UNREACH_CODES = ['no route', 'administratively prohibited', 'beyond scope of source', 'address unreachable', 'port unreachable', 'source address failed policy', 'reject route'];
const TIME_CODES = ['hop limit exceeded', 'fragment reassembly time exceeded'];
const PARAM_CODES = ['erroneous header field', 'unrecognized next header', 'unrecognized IPv6 option'];

export function icmp6TypeName(type: number): string {
  return TYPE_NAMES.get(type) ?? `type ${type}`;
}

/** The reason an error message gives, in words (its code read against its type). */
export function icmp6CodeName(type: number, code: number): string {
  if (type === Icmp6Type.DEST_UNREACHABLE) return UNREACH_CODES[code] ?? `code ${code}`;
  if (type === Icmp6Type.TIME_EXCEEDED) return TIME_CODES[code] ?? `code ${code}`;
  if (type === Icmp6Type.PARAMETER_PROBLEM) return PARAM_CODES[code] ?? `code ${code}`;
  return `code ${code}`;
}

/**
 * Type and code are always readable (the decoder keeps a view once 2 bytes are there, as tshark
 * shows them). Every other getter reads its field only when the message holds it: else a number
 * getter gives -1 and an address getter ''. `complete` says the type's whole fixed part is there.
 */
export class Icmp6View extends ByteView {
  /** ICMPv6 message bytes present, bounded by the datagram and the capture. */
  available = 0;
  /** The fixed part of this type is present. */
  complete = false;

  private field8(at: number): number {
    return this.available > at ? this.bytes[this.offset + at] : -1;
  }
  private field16(at: number): number {
    return this.available >= at + 2 ? u16(this.bytes, this.offset + at) : -1;
  }
  private field32(at: number): number {
    return this.available >= at + 4 ? u32(this.bytes, this.offset + at) : -1;
  }
  private address(at: number): string {
    return this.available >= at + IPV6.addressLength ? formatIpv6(this.bytes, this.offset + at) : '';
  }
  private flag(at: number, bit: number): boolean {
    return this.available > at && (this.bytes[this.offset + at] & bit) !== 0;
  }

  get type(): number {
    return this.bytes[this.offset + ICMP6.type];
  }
  get code(): number {
    return this.bytes[this.offset + ICMP6.code];
  }
  get checksum(): number {
    return this.field16(ICMP6.checksum);
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
  /** Error messages quote the datagram that caused them. */
  get isError(): boolean {
    return this.type < FIRST_INFO_TYPE;
  }
  get isNeighborDiscovery(): boolean {
    return HAS_ND_OPTIONS[this.type];
  }
  get isMld(): boolean {
    const t = this.type;
    return t === Icmp6Type.MLD_QUERY || t === Icmp6Type.MLD_REPORT || t === Icmp6Type.MLD_DONE || t === Icmp6Type.MLD2_REPORT;
  }
  get identifier(): number {
    return this.field16(ICMP6.identifier);
  }
  get sequence(): number {
    return this.field16(ICMP6.sequence);
  }
  /** Packet too big: the MTU of the next hop. */
  get mtu(): number {
    return this.field32(ICMP6.mtu);
  }
  /** Parameter problem: offset of the faulty byte in the quoted datagram. */
  get pointer(): number {
    return this.field32(ICMP6.pointer);
  }
  /** NS, NA, Redirect: where the address being resolved, announced or redirected to lies in `bytes`. */
  get targetOffset(): number {
    return this.offset + ICMP6.target;
  }
  get target(): string {
    return this.address(ICMP6.target);
  }
  get redirectDestination(): string {
    return this.address(ICMP6.redirectDestination);
  }
  get naRouter(): boolean {
    return this.flag(ICMP6.naFlags, 0x80);
  }
  get naSolicited(): boolean {
    return this.flag(ICMP6.naFlags, 0x40);
  }
  get naOverride(): boolean {
    return this.flag(ICMP6.naFlags, 0x20);
  }
  get raHopLimit(): number {
    return this.field8(ICMP6.raHopLimit);
  }
  get raManaged(): boolean {
    return this.flag(ICMP6.raFlags, 0x80);
  }
  get raOther(): boolean {
    return this.flag(ICMP6.raFlags, 0x40);
  }
  /** Seconds; 0 means "not a default router". */
  get raRouterLifetime(): number {
    return this.field16(ICMP6.raLifetime);
  }
  get raReachableTime(): number {
    return this.field32(ICMP6.raReachable);
  }
  get raRetransTimer(): number {
    return this.field32(ICMP6.raRetrans);
  }
  /** MLDv1 (and the v1 part of a v2 query): maximum response delay in ms, and the group. */
  get mldMaxDelay(): number {
    return this.field16(ICMP6.mldMaxDelay);
  }
  get mldAddress(): string {
    return this.address(ICMP6.mldAddress);
  }
  /** MLDv2 report: number of multicast address records. */
  get mld2Records(): number {
    return this.field16(ICMP6.mld2Records);
  }
  get bodyOffset(): number {
    return this.offset + ICMP6.headerLength;
  }
  get optionsOffset(): number {
    return this.offset + FIXED_LEN[this.type];
  }
}
