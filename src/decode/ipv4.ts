import { formatIpv4, internetChecksum, u16 } from './bytes.js';
import { ByteView } from './byte-view.js';
import { IpProto } from './protocol-numbers.js';
import { UDP } from './udp.js';

/** IPv4 header field offsets (RFC 791); options run from `options` to the header length. */
export const enum IPV4 {
  versionIhl = 0,
  tos = 1,
  totalLength = 2,
  identification = 4,
  flagsFragment = 6,
  ttl = 8,
  protocol = 9,
  checksum = 10,
  src = 12,
  dst = 16,
  options = 20,
  minHeaderLength = 20,
}

/** The flags and fragment offset field (in 8-byte units). */
const enum Fragment { DF = 0x40, MF = 0x20, OFFSET_MASK = 0x1fff, UNIT = 8 }

/**
 * The decoder makes this view only over a whole header (`headerLength` bytes, at least 20, are in
 * the capture), so every getter reads inside it; the payload is bounded by `available`.
 */
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
    return this.bytes[this.offset + IPV4.tos];
  }
  get totalLength(): number {
    return u16(this.bytes, this.offset + IPV4.totalLength);
  }
  get identification(): number {
    return u16(this.bytes, this.offset + IPV4.identification);
  }
  get dontFragment(): boolean {
    return (this.bytes[this.offset + IPV4.flagsFragment] & Fragment.DF) !== 0;
  }
  get moreFragments(): boolean {
    return (this.bytes[this.offset + IPV4.flagsFragment] & Fragment.MF) !== 0;
  }
  /** Fragment offset in bytes. */
  get fragmentOffset(): number {
    return (u16(this.bytes, this.offset + IPV4.flagsFragment) & Fragment.OFFSET_MASK) * Fragment.UNIT;
  }
  get isFragment(): boolean {
    return this.moreFragments || this.fragmentOffset !== 0;
  }
  get ttl(): number {
    return this.bytes[this.offset + IPV4.ttl];
  }
  get protocol(): number {
    return this.bytes[this.offset + IPV4.protocol];
  }
  get checksum(): number {
    return u16(this.bytes, this.offset + IPV4.checksum);
  }
  /**
   * The read of `u32` written out, here and in dstNum: analysis reads both every frame, and once
   * the optimiser inlined these getters there it was out of inlining budget and left `u32` a call.
   */
  get srcNum(): number {
    const b = this.bytes;
    const o = this.offset + IPV4.src;
    return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  }
  get dstNum(): number {
    const b = this.bytes;
    const o = this.offset + IPV4.dst;
    return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  }
  get src(): string {
    return formatIpv4(this.bytes, this.offset + IPV4.src);
  }
  get dst(): string {
    return formatIpv4(this.bytes, this.offset + IPV4.dst);
  }
  get optionsLength(): number {
    return this.headerLength - IPV4.minHeaderLength;
  }
  options(): Uint8Array {
    return this.bytes.subarray(this.offset + IPV4.options, this.offset + this.headerLength);
  }
  get payloadOffset(): number {
    return this.offset + this.headerLength;
  }
  payload(): Uint8Array {
    return this.bytes.subarray(this.payloadOffset, this.offset + this.available);
  }
  /** TCP or UDP destination port in the payload (a quoted datagram's, say); -1 when not there. */
  get dstPort(): number {
    const p = this.protocol;
    const at = this.payloadOffset;
    if ((p !== IpProto.TCP && p !== IpProto.UDP) || this.offset + this.available - at < UDP.portsLength) return -1;
    return u16(this.bytes, at + UDP.dstPort);
  }
  /** True when the header checksum verifies (computed on demand, not on the hot path). */
  checksumValid(): boolean {
    return internetChecksum(this.bytes, this.offset, this.offset + this.headerLength) === 0;
  }
}
