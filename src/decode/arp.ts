import { formatIpv4, formatMac, mac48, u16, u32 } from './bytes.js';
import { ByteView } from './byte-view.js';
import { EtherType } from './protocol-numbers.js';

/** ARP fixed part (RFC 826); the four addresses follow at sizes the fixed part declares. */
export const enum ARP { hardwareType = 0, protocolType = 2, hardwareLength = 4, protocolLength = 5, operation = 6, addresses = 8, fixedLength = 8 }

/** Hardware types (RFC 826 numbers): Ethernet and IEEE 802 carry MACs; ATM (RFC 2225) has its own layout. */
export const enum ArpHardware { ETHERNET = 1, IEEE802 = 6, ATM = 19 }

export const enum ArpOp { REQUEST = 1, REPLY = 2, RREQUEST = 3, RREPLY = 4 }

const MAC_LEN = 6;
const IPV4_LEN = 4;

/**
 * Zero-copy ARP (and RARP) view. The fixed part is always readable (the decoder checks its 8
 * bytes). The addresses are read only from a `complete` message: a number getter gives -1 and a
 * text getter '' when its address is not there at a size it can read, as tshark leaves them out.
 */
export class ArpView extends ByteView {
  /** The whole message (all four addresses at their declared sizes) is in the capture. */
  complete = false;

  get hardwareType(): number {
    return u16(this.bytes, this.offset + ARP.hardwareType);
  }
  get protocolType(): number {
    return u16(this.bytes, this.offset + ARP.protocolType);
  }
  get hardwareLength(): number {
    return this.bytes[this.offset + ARP.hardwareLength];
  }
  get protocolLength(): number {
    return this.bytes[this.offset + ARP.protocolLength];
  }
  get operation(): number {
    return u16(this.bytes, this.offset + ARP.operation);
  }

  /** Hardware addresses are readable as MACs (6 bytes each, all present). */
  get hasMacs(): boolean {
    const ht = this.hardwareType;
    return this.complete && this.hardwareLength === MAC_LEN && (ht === ArpHardware.ETHERNET || ht === ArpHardware.IEEE802);
  }
  /** Protocol addresses are readable as IPv4 (type 0x0800, 4 bytes each, all present). */
  get hasIpv4(): boolean {
    return this.complete && this.protocolLength === IPV4_LEN && this.protocolType === EtherType.IPv4;
  }
  get isEthernetIpv4(): boolean {
    return this.hasMacs && this.hasIpv4;
  }
  /** Total length of this ARP message given its declared sizes. */
  get length(): number {
    return ARP.fixedLength + 2 * (this.hardwareLength + this.protocolLength);
  }
  private get senderHw(): number {
    return this.offset + ARP.addresses;
  }
  private get senderProto(): number {
    return this.senderHw + this.hardwareLength;
  }
  private get targetHw(): number {
    return this.senderProto + this.protocolLength;
  }
  private get targetProto(): number {
    return this.targetHw + this.hardwareLength;
  }
  private get macsReadable(): boolean {
    return this.complete && this.hardwareLength >= MAC_LEN;
  }
  private get ipsReadable(): boolean {
    return this.complete && this.protocolLength >= IPV4_LEN;
  }
  get senderMacNum(): number {
    return this.macsReadable ? mac48(this.bytes, this.senderHw) : -1;
  }
  get senderMac(): string {
    return this.complete ? formatMac(this.bytes, this.senderHw, this.hardwareLength) : '';
  }
  get senderIpNum(): number {
    return this.ipsReadable ? u32(this.bytes, this.senderProto) : -1;
  }
  get senderIp(): string {
    return this.ipsReadable ? formatIpv4(this.bytes, this.senderProto) : '';
  }
  get targetMacNum(): number {
    return this.macsReadable ? mac48(this.bytes, this.targetHw) : -1;
  }
  get targetMac(): string {
    return this.complete ? formatMac(this.bytes, this.targetHw, this.hardwareLength) : '';
  }
  get targetIpNum(): number {
    return this.ipsReadable ? u32(this.bytes, this.targetProto) : -1;
  }
  get targetIp(): string {
    return this.ipsReadable ? formatIpv4(this.bytes, this.targetProto) : '';
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
