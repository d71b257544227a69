import { u16 } from './bytes.js';
import { EthernetView } from './ethernet.js';
import { Ipv4View } from './ipv4.js';
import { UDP } from './udp.js';

/** VXLAN header (RFC 7348): flags(0) reserved(1..4) VNI(4..7) reserved(7). */
const enum VXLAN { flags = 0, vni = 4, }
export const VXLAN_HEADER_LEN = 8;
/** IANA's VXLAN port; Docker's `--data-path-port` may choose another (FrameDecoder's `vxlanPorts`). */
export const VXLAN_PORT = 4789;
/** Tunnels inside tunnels are opened up to this depth (the corpus has three deep). */
export const MAX_VXLAN_DEPTH = 4;
/** The I flag: the VNI is valid. RFC 7348 requires it; tshark opens the payload either way, so do we. */
const FLAG_VNI_VALID = 0x08;

/**
 * The VXLAN encapsulations of one frame, outermost first. The frame's own views (eth, ipv4, arp,
 * icmp) describe the innermost frame; what carried it (the underlay's Ethernet and IPv4, the UDP
 * ports, the VNI) is kept here as offsets into the same bytes, read on demand through scratch views
 * (valid until the next `outerIpv4`/`outerEth` call, like the decoder's own views).
 */
export class VxlanStack {
  bytes: Uint8Array = new Uint8Array(0);
  count = 0;
  /** Outer Ethernet header of each tunnel, -1 when the capture's link is not Ethernet. */
  readonly ethOffset = new Int32Array(MAX_VXLAN_DEPTH);
  readonly ipv4Offset = new Int32Array(MAX_VXLAN_DEPTH);
  readonly udpOffset = new Int32Array(MAX_VXLAN_DEPTH);
  private readonly ipScratch = new Ipv4View();
  private readonly ethScratch = new EthernetView();

  push(ethOffset: number, ipv4Offset: number, udpOffset: number): void {
    const i = this.count++;
    this.ethOffset[i] = ethOffset;
    this.ipv4Offset[i] = ipv4Offset;
    this.udpOffset[i] = udpOffset;
  }

  private header(i: number): number {
    return this.udpOffset[i] + UDP.headerLength;
  }
  /** The 24-bit VXLAN network identifier (Docker's overlay `vxlanid_list`). */
  vni(i: number): number {
    const o = this.header(i) + VXLAN.vni;
    return (this.bytes[o] << 16) | (this.bytes[o + 1] << 8) | this.bytes[o + 2];
  }
  flags(i: number): number {
    return this.bytes[this.header(i) + VXLAN.flags];
  }
  vniValid(i: number): boolean {
    return (this.flags(i) & FLAG_VNI_VALID) !== 0;
  }
  srcPort(i: number): number {
    return u16(this.bytes, this.udpOffset[i] + UDP.srcPort);
  }
  dstPort(i: number): number {
    return u16(this.bytes, this.udpOffset[i] + UDP.dstPort);
  }
  /** The underlay IPv4 header of tunnel i (the hosts' addresses). */
  outerIpv4(i: number): Ipv4View {
    return this.ipScratch.at(this.bytes, this.ipv4Offset[i]);
  }
  /** The underlay Ethernet header of tunnel i, or null on a non-Ethernet link. */
  outerEth(i: number): EthernetView | null {
    return this.ethOffset[i] < 0 ? null : this.ethScratch.at(this.bytes, this.ethOffset[i]);
  }
  /** Where tunnel i's inner Ethernet frame begins. */
  innerOffset(i: number): number {
    return this.header(i) + VXLAN_HEADER_LEN;
  }
}
