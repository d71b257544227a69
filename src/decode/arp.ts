import { formatIpv4, formatMac, mac48, u16, u32 } from './bytes.js';
import { ByteView } from './byte-view.js';

/** ARP fixed part: htype(0..2) ptype(2..4) hlen(4) plen(5) oper(6..8), then sha spa tha tpa. */
export const ARP_FIXED_LEN = 8;
export const ARP_ETH_IPV4_LEN = 28;

/** Hardware types whose 6-byte addresses are MACs (RFC 826 numbers: Ethernet, IEEE 802). */
const HTYPE_ETHERNET = 1;
const HTYPE_IEEE802 = 6;

export const ArpOp = { REQUEST: 1, REPLY: 2, RREQUEST: 3, RREPLY: 4 } as const;

/**
 * Zero-copy ARP (and RARP) view. The fixed part is always readable. Address getters are valid
 * only where `hasMacs` / `hasIpv4` say so: other sizes, or a message cut short, leave them out,
 * as tshark does.
 */
export class ArpView extends ByteView {

  get hardwareType(): number {
    return u16(this.bytes, this.offset);
  }
  get protocolType(): number {
    return u16(this.bytes, this.offset + 2);
  }
  get hardwareLength(): number {
    return this.bytes[this.offset + 4];
  }
  get protocolLength(): number {
    return this.bytes[this.offset + 5];
  }
  get operation(): number {
    return u16(this.bytes, this.offset + 6);
  }
  /** The whole message (all four addresses at their declared sizes) is in the capture. */
  complete = false;

  /** Hardware addresses are readable as MACs (6 bytes each, all present). */
  get hasMacs(): boolean {
    const ht = this.hardwareType;
    return this.complete && this.hardwareLength === 6 && (ht === HTYPE_ETHERNET || ht === HTYPE_IEEE802);
  }
  /** Protocol addresses are readable as IPv4 (type 0x0800, 4 bytes each, all present). */
  get hasIpv4(): boolean {
    return this.complete && this.protocolLength === 4 && this.protocolType === 0x0800;
  }
  get isEthernetIpv4(): boolean {
    return this.hasMacs && this.hasIpv4;
  }
  /** Total length of this ARP message given its declared sizes. */
  get length(): number {
    return ARP_FIXED_LEN + 2 * (this.hardwareLength + this.protocolLength);
  }
  get senderMacNum(): number {
    return mac48(this.bytes, this.offset + 8);
  }
  get senderMac(): string {
    return formatMac(this.bytes, this.offset + 8, this.hardwareLength);
  }
  get senderIpNum(): number {
    return u32(this.bytes, this.offset + 8 + this.hardwareLength);
  }
  get senderIp(): string {
    return formatIpv4(this.bytes, this.offset + 8 + this.hardwareLength);
  }
  get targetMacNum(): number {
    return mac48(this.bytes, this.offset + 8 + this.hardwareLength + this.protocolLength);
  }
  get targetMac(): string {
    return formatMac(this.bytes, this.offset + 8 + this.hardwareLength + this.protocolLength, this.hardwareLength);
  }
  get targetIpNum(): number {
    return u32(this.bytes, this.offset + 8 + 2 * this.hardwareLength + this.protocolLength);
  }
  get targetIp(): string {
    return formatIpv4(this.bytes, this.offset + 8 + 2 * this.hardwareLength + this.protocolLength);
  }
  /** Sender announces its own address (RFC 5227 announcement, or a gratuitous reply). */
  get isGratuitous(): boolean {
    return this.isEthernetIpv4 && this.senderIpNum === this.targetIpNum && this.senderIpNum !== 0;
  }
  /** RFC 5227 probe: a request with sender IP 0.0.0.0, checking that nobody holds the target. */
  get isProbe(): boolean {
    return this.isEthernetIpv4 && this.operation === ArpOp.REQUEST && this.senderIpNum === 0;
  }
}
