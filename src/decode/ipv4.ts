import { formatIpv4, internetChecksum, u16, u32 } from './bytes.js';
import { ByteView } from './byte-view.js';

/**
 * IPv4 header: ver/ihl(0) tos(1) totlen(2..4) id(4..6) flags/frag(6..8) ttl(8) proto(9)
 * checksum(10..12) src(12..16) dst(16..20) options(20..ihl*4).
 */
export const IPV4_MIN_HEADER_LEN = 20;
/** The fields a router rewrites on every hop. */
export const IPV4_TTL_OFFSET = 8;
export const IPV4_CHECKSUM_OFFSET = 10;
export const IPV4_PROTO_OFFSET = 9;

export class Ipv4View extends ByteView {
  /** Bytes of this datagram present in the capture (header + payload), after snaplen and total length. */
  available = 0;

  get version(): number {
    return this.bytes[this.offset] >> 4;
  }
  get headerLength(): number {
    return (this.bytes[this.offset] & 0x0f) * 4;
  }
  get tos(): number {
    return this.bytes[this.offset + 1];
  }
  get totalLength(): number {
    return u16(this.bytes, this.offset + 2);
  }
  get identification(): number {
    return u16(this.bytes, this.offset + 4);
  }
  get dontFragment(): boolean {
    return (this.bytes[this.offset + 6] & 0x40) !== 0;
  }
  get moreFragments(): boolean {
    return (this.bytes[this.offset + 6] & 0x20) !== 0;
  }
  /** Fragment offset in bytes. */
  get fragmentOffset(): number {
    return (u16(this.bytes, this.offset + 6) & 0x1fff) * 8;
  }
  get isFragment(): boolean {
    return this.moreFragments || this.fragmentOffset !== 0;
  }
  get ttl(): number {
    return this.bytes[this.offset + IPV4_TTL_OFFSET];
  }
  get protocol(): number {
    return this.bytes[this.offset + IPV4_PROTO_OFFSET];
  }
  get checksum(): number {
    return u16(this.bytes, this.offset + IPV4_CHECKSUM_OFFSET);
  }
  get srcNum(): number {
    return u32(this.bytes, this.offset + 12);
  }
  get dstNum(): number {
    return u32(this.bytes, this.offset + 16);
  }
  get src(): string {
    return formatIpv4(this.bytes, this.offset + 12);
  }
  get dst(): string {
    return formatIpv4(this.bytes, this.offset + 16);
  }
  get optionsLength(): number {
    return this.headerLength - IPV4_MIN_HEADER_LEN;
  }
  options(): Uint8Array {
    return this.bytes.subarray(this.offset + IPV4_MIN_HEADER_LEN, this.offset + this.headerLength);
  }
  get payloadOffset(): number {
    return this.offset + this.headerLength;
  }
  payload(): Uint8Array {
    return this.bytes.subarray(this.payloadOffset, this.offset + this.available);
  }
  /** True when the header checksum verifies (computed on demand, not on the hot path). */
  checksumValid(): boolean {
    return internetChecksum(this.bytes, this.offset, this.offset + this.headerLength) === 0;
  }
}
