import { ArpView } from './arp.js';
import { EthernetView } from './ethernet.js';
import { IcmpView } from './icmp.js';
import { Ipv4View } from './ipv4.js';
import { Icmp6View } from './icmp6.js';
import { Ipv6View } from './ipv6.js';
import { Ipv6ExtChain } from './ipv6-ext.js';
import { NdOptions } from './nd-options.js';
import type { DecodeProblem } from './problem.js';
import { SllView } from './sll.js';
import { VlanStack } from './vlan.js';
import { VxlanStack } from './vxlan.js';

export type LinkKind = 'ethernet' | 'sll' | 'sll2' | 'ppp' | 'null' | 'raw' | 'other';

/**
 * The decoded layers of one frame. A FrameDecoder owns exactly one DecodedFrame and re-points
 * its views at every `decode()` call: nothing here is valid after the next call, and nothing is
 * allocated per frame. A layer field is null when the frame does not carry that layer (or the
 * decoder stopped before it; `problem` then says why).
 */
export class DecodedFrame {
  /** The bytes the frame lies in: the frame itself, or a batch arena (see `start`, `end`). */
  bytes: Uint8Array = new Uint8Array(0);
  /** The frame is `bytes[start, end)`; every view offset and `networkOffset` is a position in `bytes`. */
  start = 0;
  end = 0;
  linkType = 1;
  origLen = 0;
  link: LinkKind = 'other';

  eth: EthernetView | null = null;
  sll: SllView | null = null;
  /** Tags of every layer, outer first (a VXLAN frame's outer tags, then its inner frame's). */
  readonly vlan = new VlanStack();
  /**
   * The VXLAN tunnels the frame came through, outermost first; when `vxlan.count > 0` every layer
   * view above (eth, ipv4, arp, icmp, ports) describes the innermost frame.
   */
  readonly vxlan = new VxlanStack();
  /** Innermost ethertype after tags and SNAP; -1 when the frame has none (802.2 LLC, raw link). */
  etherType = -1;
  /** Offset of the network layer (ARP, IP, ...) within `bytes`; -1 when there is none. */
  networkOffset = -1;

  arp: ArpView | null = null;
  ipv4: Ipv4View | null = null;
  ipv6: Ipv6View | null = null;
  icmp: IcmpView | null = null;
  /** For ICMP errors: the datagram the error quotes, and its ICMP header when it was ICMP. */
  quotedIpv4: Ipv4View | null = null;
  quotedIcmp: IcmpView | null = null;
  /** IPv6 extension headers (count 0 without IPv6), ICMPv6, and the options of an ND message. */
  readonly ipv6Ext = new Ipv6ExtChain();
  icmp6: Icmp6View | null = null;
  readonly ndOptions = new NdOptions();
  /**
   * For ICMPv6 errors: the datagram the error quotes, its extension headers (those that fitted in
   * the quote, count 0 without one), and its ICMPv6 header when it was ICMPv6.
   */
  quotedIpv6: Ipv6View | null = null;
  readonly quotedIpv6Ext = new Ipv6ExtChain();
  quotedIcmp6: Icmp6View | null = null;

  /** TCP/UDP ports, -1 when absent: the decoder names transports but does not open them further. */
  srcPort = -1;
  dstPort = -1;

  /** Name of the highest layer identified ('ARP', 'ICMP', 'UDP', 'IPv6', 'LLC', 'EtherType 0x88b5', ...). */
  protocol = '';
  problem: DecodeProblem | null = null;

  get capLen(): number {
    return this.end - this.start;
  }

  get truncatedBySnaplen(): boolean {
    return this.end - this.start < this.origLen;
  }

  /** The frame's own bytes (a view, allocated on each call: not for hot loops). */
  frameBytes(): Uint8Array {
    return this.bytes.subarray(this.start, this.end);
  }

  /** Source hardware address as a 48-bit number (Ethernet, or a cooked header's 6-byte address). */
  get srcMacNum(): number | undefined {
    return this.eth ? this.eth.srcNum : this.sll?.srcNum;
  }

  get dstMacNum(): number | undefined {
    return this.eth?.dstNum;
  }
}
