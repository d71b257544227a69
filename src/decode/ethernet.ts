import { formatMac, mac48, u16 } from './bytes.js';
import { ByteView } from './byte-view.js';

/** Ethernet II / 802.3 header: dst(0..6) src(6..12) type-or-length(12..14). */
export const ETH_HEADER_LEN = 14;

/** Zero-copy view; the decoder re-points one instance per frame (valid until the next decode). */
export class EthernetView extends ByteView {

  get dstNum(): number {
    return mac48(this.bytes, this.offset);
  }
  get srcNum(): number {
    return mac48(this.bytes, this.offset + 6);
  }
  get dst(): string {
    return formatMac(this.bytes, this.offset);
  }
  get src(): string {
    return formatMac(this.bytes, this.offset + 6);
  }
  /** Ethertype, or an 802.3 length when <= 1500. */
  get typeOrLength(): number {
    return u16(this.bytes, this.offset + 12);
  }
  get isBroadcast(): boolean {
    return this.dstNum === 0xffffffffffff;
  }
}
