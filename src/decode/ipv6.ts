import { formatIpv6, u16, u32 } from './bytes.js';
import { ByteView } from './byte-view.js';

/**
 * IPv6 fixed header field offsets (RFC 8200). Extension headers follow; the decoder walks them
 * into `Ipv6ExtChain`. The decoder makes a view only over all 40 bytes.
 */
export const enum IPV6 { versionClassFlow = 0, payloadLength = 4, nextHeader = 6, hopLimit = 7, src = 8, dst = 24, headerLength = 40, addressLength = 16 }
const MULTICAST_PREFIX = 0xff;

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
    return u16(this.bytes, this.offset + IPV6.payloadLength);
  }
  get nextHeader(): number {
    return this.bytes[this.offset + IPV6.nextHeader];
  }
  get hopLimit(): number {
    return this.bytes[this.offset + IPV6.hopLimit];
  }
  get srcOffset(): number {
    return this.offset + IPV6.src;
  }
  get dstOffset(): number {
    return this.offset + IPV6.dst;
  }
  get src(): string {
    return formatIpv6(this.bytes, this.offset + IPV6.src);
  }
  get dst(): string {
    return formatIpv6(this.bytes, this.offset + IPV6.dst);
  }
  /** The unspecified source `::`: a DAD probe or a host without an address yet. */
  get srcUnspecified(): boolean {
    return isZero(this.bytes, this.offset + IPV6.src, IPV6.addressLength);
  }
  get dstMulticast(): boolean {
    return this.bytes[this.offset + IPV6.dst] === MULTICAST_PREFIX;
  }
  upperPayload(): Uint8Array {
    return this.bytes.subarray(this.upperOffset, this.offset + this.available);
  }
}

function isZero(b: Uint8Array, o: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (b[o + i] !== 0) return false;
  return true;
}
