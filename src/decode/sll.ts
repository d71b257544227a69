import { formatMac, mac48, u16, u32 } from './bytes.js';
import { ByteView } from './byte-view.js';

/**
 * Linux cooked capture headers (tcpdump -i any). SLL v1 (16 bytes): pkttype(0..2) hatype(2..4)
 * halen(4..6) addr(6..14) protocol(14..16). SLL v2 (20 bytes): protocol(0..2) reserved(2..4)
 * ifindex(4..8) hatype(8..10) pkttype(10) halen(11) addr(12..20).
 */
export const SLL_HEADER_LEN = 16;
export const SLL2_HEADER_LEN = 20;

const PKTTYPE_NAMES = ['In', 'B', 'M', 'P', 'Out'];

export class SllView extends ByteView {
  version: 1 | 2 = 1;

  get protocol(): number {
    return u16(this.bytes, this.offset + (this.version === 1 ? 14 : 0));
  }
  get hardwareType(): number {
    return u16(this.bytes, this.offset + (this.version === 1 ? 2 : 8));
  }
  get packetType(): number {
    return this.version === 1 ? u16(this.bytes, this.offset) : this.bytes[this.offset + 10];
  }
  /** tcpdump's short names for the direction of a cooked frame. */
  get packetTypeName(): string {
    return PKTTYPE_NAMES[this.packetType] ?? String(this.packetType);
  }
  get addressLength(): number {
    return this.version === 1 ? u16(this.bytes, this.offset + 4) : this.bytes[this.offset + 11];
  }
  private get addrOffset(): number {
    return this.offset + (this.version === 1 ? 6 : 12);
  }
  /** Link-layer source address when it is a 6-byte MAC, else undefined. */
  get srcNum(): number | undefined {
    return this.addressLength === 6 ? mac48(this.bytes, this.addrOffset) : undefined;
  }
  get src(): string {
    const len = Math.min(this.addressLength, 8);
    return len > 0 ? formatMac(this.bytes, this.addrOffset, len) : '';
  }
  /** SLL2 only: the capturing interface's ifindex. */
  get ifIndex(): number | undefined {
    return this.version === 2 ? u32(this.bytes, this.offset + 4) : undefined;
  }
}
