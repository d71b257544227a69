import { formatIpv6 } from './bytes.js';
import { ByteView } from './byte-view.js';

/** IPv6 fixed header (40 bytes): ver(0) plen(4..6) next(6) hops(7) src(8..24) dst(24..40). Opaque beyond. */
export const IPV6_HEADER_LEN = 40;

export class Ipv6View extends ByteView {

  get nextHeader(): number {
    return this.bytes[this.offset + 6];
  }
  get hopLimit(): number {
    return this.bytes[this.offset + 7];
  }
  get src(): string {
    return formatIpv6(this.bytes, this.offset + 8);
  }
  get dst(): string {
    return formatIpv6(this.bytes, this.offset + 24);
  }
}
