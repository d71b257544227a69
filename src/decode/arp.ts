import { formatIpv4, formatMac, mac48, u16, u32 } from './bytes.js';

/** ARP fixed part: htype(0..2) ptype(2..4) hlen(4) plen(5) oper(6..8), then sha spa tha tpa. */
export const ARP_FIXED_LEN = 8;
export const ARP_ETH_IPV4_LEN = 28;

export const ArpOp = { REQUEST: 1, REPLY: 2, RREQUEST: 3, RREPLY: 4 } as const;

/**
 * Zero-copy ARP view. The address getters assume Ethernet/IPv4 sizes (hlen 6, plen 4), which
 * `isEthernetIpv4` tells; other sizes decode only the fixed part (tshark does the same).
 */
export class ArpView {
  bytes: Uint8Array = new Uint8Array(0);
  offset = 0;

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
  get isEthernetIpv4(): boolean {
    return this.hardwareLength === 6 && this.protocolLength === 4 && this.protocolType === 0x0800;
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
