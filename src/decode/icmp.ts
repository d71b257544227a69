import { internetChecksum, u16, u32 } from './bytes.js';
import { ByteView } from './byte-view.js';

/** ICMP field offsets (RFC 792): the 4 bytes after the checksum are the type's "rest of header". */
export const enum ICMP { type = 0, code = 1, checksum = 2, identifier = 4, sequence = 6, gateway = 4, nextHopMtu = 6, body = 8, headerLength = 8 }

export const enum IcmpType {
  ECHO_REPLY = 0,
  DEST_UNREACHABLE = 3,
  SOURCE_QUENCH = 4,
  REDIRECT = 5,
  ECHO_REQUEST = 8,
  ROUTER_ADVERTISEMENT = 9,
  ROUTER_SOLICITATION = 10,
  TIME_EXCEEDED = 11,
  PARAMETER_PROBLEM = 12,
  TIMESTAMP = 13,
  TIMESTAMP_REPLY = 14,
  INFO_REQUEST = 15,
  INFO_REPLY = 16,
  MASK_REQUEST = 17,
  MASK_REPLY = 18,
}

/** Time exceeded codes (RFC 792). */
export const enum IcmpTimeExceeded { IN_TRANSIT = 0, REASSEMBLY = 1 }

/** The one table of ICMP type names (tcpdump's words). */
const TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [IcmpType.ECHO_REPLY, 'echo reply'],
  [IcmpType.DEST_UNREACHABLE, 'unreachable'],
  [IcmpType.SOURCE_QUENCH, 'source quench'],
  [IcmpType.REDIRECT, 'redirect'],
  [IcmpType.ECHO_REQUEST, 'echo request'],
  [IcmpType.ROUTER_ADVERTISEMENT, 'router advertisement'],
  [IcmpType.ROUTER_SOLICITATION, 'router solicitation'],
  [IcmpType.TIME_EXCEEDED, 'time exceeded'],
  [IcmpType.PARAMETER_PROBLEM, 'parameter problem'],
  [IcmpType.TIMESTAMP, 'timestamp request'],
  [IcmpType.TIMESTAMP_REPLY, 'timestamp reply'],
  [IcmpType.INFO_REQUEST, 'information request'],
  [IcmpType.INFO_REPLY, 'information reply'],
  [IcmpType.MASK_REQUEST, 'address mask request'],
  [IcmpType.MASK_REPLY, 'address mask reply'],
]);

/** Destination unreachable codes 0..15 (RFC 792, 1122, 1812), as tcpdump words them. */
const UNREACHABLE_CODES = ['net', 'host', 'protocol', 'port', 'fragmentation needed', 'source route failed',
  'net unknown', 'host unknown', 'source host isolated', 'net prohibited', 'host prohibited',
  'net for TOS', 'host for TOS', 'administratively prohibited', 'host precedence violation',
  'precedence cutoff'];
const REDIRECT_CODES = ['net', 'host', 'TOS and net', 'TOS and host'];

export function icmpTypeName(type: number): string {
  return TYPE_NAMES.get(type) ?? `type ${type}`;
}

/** What is unreachable (for DEST_UNREACHABLE) or redirected (for REDIRECT); `code N` otherwise. */
export function icmpCodeName(type: number, code: number): string {
  const names = type === IcmpType.DEST_UNREACHABLE ? UNREACHABLE_CODES : type === IcmpType.REDIRECT ? REDIRECT_CODES : undefined;
  return names?.[code] ?? `code ${code}`;
}

const isErrorType = (t: number) => t === IcmpType.DEST_UNREACHABLE || t === IcmpType.SOURCE_QUENCH
  || t === IcmpType.REDIRECT || t === IcmpType.TIME_EXCEEDED || t === IcmpType.PARAMETER_PROBLEM;
/** Types whose body quotes the IP header + 8 bytes of the datagram that caused them. */
const ERROR_TYPES: readonly boolean[] = Array.from({ length: 256 }, (_, t) => isErrorType(t));
/** Echo, timestamp, information and address-mask messages carry an identifier and a sequence number. */
const ID_SEQ_TYPES: readonly boolean[] = Array.from({ length: 256 }, (_, t) => t === IcmpType.ECHO_REPLY || t === IcmpType.ECHO_REQUEST
  || (t >= IcmpType.TIMESTAMP && t <= IcmpType.MASK_REPLY));

/**
 * The decoder makes a view only when type and code are present (`available` >= 2); every other
 * field is read only when it lies within `available`, never from the bytes after the message.
 */
export class IcmpView extends ByteView {
  /** ICMP message bytes present (header + body), bounded by the IP datagram and the capture. */
  available = 0;

  get type(): number {
    return this.bytes[this.offset + ICMP.type];
  }
  get code(): number {
    return this.bytes[this.offset + ICMP.code];
  }
  /** Undefined when the message ends before it (a capture cut 2 or 3 bytes into ICMP). */
  get checksum(): number | undefined {
    return this.available >= ICMP.checksum + 2 ? u16(this.bytes, this.offset + ICMP.checksum) : undefined;
  }
  get carriesIdSeq(): boolean {
    return ID_SEQ_TYPES[this.type];
  }
  /** The identifier and sequence number are both in the capture. */
  get hasIdSeq(): boolean {
    return this.available >= ICMP.headerLength && ID_SEQ_TYPES[this.type];
  }
  /** The rest-of-header as an identifier and a sequence; -1 when the message ends before the field. */
  get identifier(): number {
    return this.available >= ICMP.identifier + 2 ? u16(this.bytes, this.offset + ICMP.identifier) : -1;
  }
  get sequence(): number {
    return this.available >= ICMP.sequence + 2 ? u16(this.bytes, this.offset + ICMP.sequence) : -1;
  }
  /**
   * identifier * 65536 + sequence (-1 when cut short): the key echo analysis pairs on, as one
   * read. Built from `identifier` and `sequence` it cost two getters a frame, which the optimiser,
   * out of inlining budget in the analysis, left as calls; `u32` is written out for the same reason.
   */
  get idSeq(): number {
    const b = this.bytes;
    const o = this.offset + ICMP.identifier;
    return this.available >= ICMP.headerLength ? ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0 : -1;
  }
  /** Redirect: the better gateway, as a number; undefined when the header is cut short. */
  get gatewayNum(): number | undefined {
    return this.available >= ICMP.headerLength ? u32(this.bytes, this.offset + ICMP.gateway) : undefined;
  }
  /** Destination unreachable, fragmentation needed: next-hop MTU (RFC 1191); undefined when cut short. */
  get nextHopMtu(): number | undefined {
    return this.available >= ICMP.headerLength ? u16(this.bytes, this.offset + ICMP.nextHopMtu) : undefined;
  }
  get isError(): boolean {
    return this.available >= ICMP.headerLength && ERROR_TYPES[this.type];
  }
  get bodyOffset(): number {
    return this.offset + ICMP.body;
  }
  body(): Uint8Array {
    return this.bytes.subarray(this.bodyOffset, this.offset + this.available);
  }
  /** Only meaningful when the whole message was captured (`available` equals the IP payload). */
  checksumValid(): boolean {
    return internetChecksum(this.bytes, this.offset, this.offset + this.available) === 0;
  }
}
