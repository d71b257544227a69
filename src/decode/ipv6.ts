import { formatIpv6, u16, u32 } from './bytes.js';
import { ByteView } from './byte-view.js';

/**
 * IPv6 fixed header (RFC 8200): ver/tclass/flow(0..4) plen(4..6) next(6) hops(7) src(8..24)
 * dst(24..40). Extension headers follow; the decoder walks them into `Ipv6ExtChain`.
 */
export const IPV6_HEADER_LEN = 40;
export const IPV6_ADDR_LEN = 16;
const SRC = 8;
const DST = 24;

export class Ipv6View extends ByteView {
  /** Bytes of this datagram present in the capture (header + payload), after snaplen and payload length. */
  available = 0;
  /** Protocol after the extension headers (the last next-header value read), and where it starts. */
  upperProtocol = -1;
  upperOffset = -1;

  get version(): number {
    return this.bytes[this.offset] >> 4;
  }
  get trafficClass(): number {
    return (u16(this.bytes, this.offset) >> 4) & 0xff;
  }
  get flowLabel(): number {
    return u32(this.bytes, this.offset) & 0xfffff;
  }
  get payloadLength(): number {
    return u16(this.bytes, this.offset + 4);
  }
  get nextHeader(): number {
    return this.bytes[this.offset + 6];
  }
  get hopLimit(): number {
    return this.bytes[this.offset + 7];
  }
  get srcOffset(): number {
    return this.offset + SRC;
  }
  get dstOffset(): number {
    return this.offset + DST;
  }
  get src(): string {
    return formatIpv6(this.bytes, this.offset + SRC);
  }
  get dst(): string {
    return formatIpv6(this.bytes, this.offset + DST);
  }
  /** The unspecified source `::`: a DAD probe or a host without an address yet. */
  get srcUnspecified(): boolean {
    return isZero(this.bytes, this.offset + SRC, IPV6_ADDR_LEN);
  }
  get dstMulticast(): boolean {
    return this.bytes[this.offset + DST] === 0xff;
  }
  upperPayload(): Uint8Array {
    return this.bytes.subarray(this.upperOffset, this.offset + this.available);
  }
}

export function isZero(b: Uint8Array, o: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (b[o + i] !== 0) return false;
  return true;
}
