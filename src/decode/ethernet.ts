import { formatMac, mac48, u16 } from './bytes.js';
import { ByteView } from './byte-view.js';

/** Ethernet II / 802.3 header field offsets; the decoder makes a view only over all 14 bytes. */
export const enum ETH {
  dst = 0,
  src = 6,
  typeOrLength = 12,
  headerLength = 14,
  /** A type/length field up to this is an 802.3 length; above it (from 0x0600), an ethertype. */
  maxLength = 1500,
}
const BROADCAST = 0xffffffffffff;

/** Zero-copy view; the decoder re-points one instance per frame (valid until the next decode). */
export class EthernetView extends ByteView {

  get dstNum(): number {
    return mac48(this.bytes, this.offset + ETH.dst);
  }
  get srcNum(): number {
    return mac48(this.bytes, this.offset + ETH.src);
  }
  get dst(): string {
    return formatMac(this.bytes, this.offset + ETH.dst);
  }
  get src(): string {
    return formatMac(this.bytes, this.offset + ETH.src);
  }
  /** Ethertype, or an 802.3 length when <= ETH.maxLength. */
  get typeOrLength(): number {
    return u16(this.bytes, this.offset + ETH.typeOrLength);
  }
  get isBroadcast(): boolean {
    return this.dstNum === BROADCAST;
  }
}
