import { internetChecksum, u16, u32 } from './bytes.js';
import { ByteView } from './byte-view.js';

/** ICMP header: type(0) code(1) checksum(2..4) rest-of-header(4..8), then the message body. */
export const ICMP_HEADER_LEN = 8;

export const IcmpType = {
  ECHO_REPLY: 0,
  DEST_UNREACHABLE: 3,
  SOURCE_QUENCH: 4,
  REDIRECT: 5,
  ECHO_REQUEST: 8,
  TIME_EXCEEDED: 11,
  PARAMETER_PROBLEM: 12,
  TIMESTAMP: 13,
  TIMESTAMP_REPLY: 14,
} as const;

/** Types whose body quotes the IP header + 8 bytes of the datagram that caused them. */
const ERROR_TYPES: readonly boolean[] = Array.from({ length: 256 }, (_, t) => t === 3 || t === 4 || t === 5 || t === 11 || t === 12);

/**
 * The decoder makes a view only when type and code are present (`available` >= 2); every other
 * field is read only when it lies within `available`, never from the bytes after the message.
 */
export class IcmpView extends ByteView {
  /** ICMP message bytes present (header + body), bounded by the IP datagram and the capture. */
  available = 0;

  get type(): number {
    return this.bytes[this.offset];
  }
  get code(): number {
    return this.bytes[this.offset + 1];
  }
  /** Undefined when the message ends before it (a capture cut 2 or 3 bytes into ICMP). */
  get checksum(): number | undefined {
    return this.available >= 4 ? u16(this.bytes, this.offset + 2) : undefined;
  }
  get isEcho(): boolean {
    return this.type === IcmpType.ECHO_REQUEST || this.type === IcmpType.ECHO_REPLY;
  }
  /** Echo, timestamp and address-mask messages carry an identifier and a sequence number. */
  get carriesIdSeq(): boolean {
    const t = this.type;
    return t === 0 || t === 8 || t === 13 || t === 14 || t === 15 || t === 16 || t === 17 || t === 18;
  }
  /** The identifier and sequence number are both in the capture. */
  get hasIdSeq(): boolean {
    return this.available >= ICMP_HEADER_LEN && this.carriesIdSeq;
  }
  /** Identifier and sequence are read only where `hasIdSeq` holds (the decoder's callers check it). */
  get identifier(): number {
    return u16(this.bytes, this.offset + 4);
  }
  get sequence(): number {
    return u16(this.bytes, this.offset + 6);
  }
  /** Redirect: the better gateway, as a number; undefined when the header is cut short. */
  get gatewayNum(): number | undefined {
    return this.available >= ICMP_HEADER_LEN ? u32(this.bytes, this.offset + 4) : undefined;
  }
  /** Destination unreachable, fragmentation needed: next-hop MTU (RFC 1191); undefined when cut short. */
  get nextHopMtu(): number | undefined {
    return this.available >= ICMP_HEADER_LEN ? u16(this.bytes, this.offset + 6) : undefined;
  }
  get isError(): boolean {
    return this.available >= ICMP_HEADER_LEN && ERROR_TYPES[this.type];
  }
  get bodyOffset(): number {
    return this.offset + ICMP_HEADER_LEN;
  }
  body(): Uint8Array {
    return this.bytes.subarray(this.bodyOffset, this.offset + this.available);
  }
  /** Only meaningful when the whole message was captured (`available` equals the IP payload). */
  checksumValid(): boolean {
    return internetChecksum(this.bytes, this.offset, this.offset + this.available) === 0;
  }
}
