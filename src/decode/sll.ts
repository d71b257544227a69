import { formatMac, mac48, u16, u32 } from './bytes.js';
import { ByteView } from './byte-view.js';

/** Linux cooked capture headers (tcpdump -i any): field offsets of SLL v1 and SLL v2. */
export const enum SLL { packetType = 0, hardwareType = 2, addressLength = 4, address = 6, protocol = 14, headerLength = 16 }
export const enum SLL2 { protocol = 0, ifIndex = 4, hardwareType = 8, packetType = 10, addressLength = 11, address = 12, headerLength = 20 }
/** The address field holds at most 8 bytes whatever the length says. */
const ADDRESS_FIELD_LEN = 8;
const MAC_LEN = 6;

/** Linux protocol values below 0x0600 name non-ethertype payloads: ETH_P_802_2 is LLC. */
export const SLL_PROTO_802_2 = 0x0004;

const PKTTYPE_NAMES = ['In', 'B', 'M', 'P', 'Out'];

/** The decoder makes a view only over a whole header (`SLL.headerLength` or `SLL2.headerLength` bytes). */
export class SllView extends ByteView {
  version: 1 | 2 = 1;

  get protocol(): number {
    return u16(this.bytes, this.offset + (this.version === 1 ? SLL.protocol : SLL2.protocol));
  }
  get hardwareType(): number {
    return u16(this.bytes, this.offset + (this.version === 1 ? SLL.hardwareType : SLL2.hardwareType));
  }
  get packetType(): number {
    return this.version === 1 ? u16(this.bytes, this.offset + SLL.packetType) : this.bytes[this.offset + SLL2.packetType];
  }
  /** tcpdump's short names for the direction of a cooked frame. */
  get packetTypeName(): string {
    return PKTTYPE_NAMES[this.packetType] ?? String(this.packetType);
  }
  get addressLength(): number {
    return this.version === 1 ? u16(this.bytes, this.offset + SLL.addressLength) : this.bytes[this.offset + SLL2.addressLength];
  }
  private get addrOffset(): number {
    return this.offset + (this.version === 1 ? SLL.address : SLL2.address);
  }
  /** Link-layer source address when it is a 6-byte MAC, else undefined. */
  get srcNum(): number | undefined {
    return this.addressLength === MAC_LEN ? mac48(this.bytes, this.addrOffset) : undefined;
  }
  get src(): string {
    const len = Math.min(this.addressLength, ADDRESS_FIELD_LEN);
    return len > 0 ? formatMac(this.bytes, this.addrOffset, len) : '';
  }
  /** SLL2 only: the capturing interface's ifindex. */
  get ifIndex(): number | undefined {
    return this.version === 2 ? u32(this.bytes, this.offset + SLL2.ifIndex) : undefined;
  }
  get headerLength(): number {
    return this.version === 1 ? SLL.headerLength : SLL2.headerLength;
  }
}
