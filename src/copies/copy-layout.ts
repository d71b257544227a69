/**
 * What the routed-copy rule needs to know about the wire: where a frame's IPv4 header starts and
 * which of its bytes a router rewrites. The stage sits before decode and imports nothing from it,
 * so decode supplies this (decode/copy-layout.ts) and the wire numbers stay there.
 */
export interface CopyLayout {
  /** Offset in the frame of its IPv4 header, when the frame is one untagged IPv4 packet on this link type; else -1. */
  ipv4Start(data: Uint8Array, start: number, capLen: number, linkType: number): number;
  /** Offset of the TTL byte in the IPv4 header. */
  readonly ttlOffset: number;
  /** Offset of the two header checksum bytes in the IPv4 header. */
  readonly checksumOffset: number;
  /**
   * Offset in the frame of the Ethernet frame a VXLAN datagram carries (an overlay frame on the
   * underlay), when the frame is one untagged IPv4/UDP datagram to or from the VXLAN port; else -1.
   */
  vxlanInnerStart(data: Uint8Array, start: number, capLen: number, linkType: number): number;
}
