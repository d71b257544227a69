import { Ipv6Keys } from '../../annotate/ipv6-keys.js';
import { Icmp6Type, IcmpType, type DecodedFrame } from '../../decode/index.js';

/**
 * Traffic between two IPv4 addresses (a < b), both directions together; for IPv6 pairs
 * (`TrafficCounts.pairs6`) a and b are keys of `TrafficCounts.ip6`. ARP and echo requests and
 * replies are not counted here: the conversations view takes them from the analyzer's pair table
 * (analyze/pairs.ts), the one `summary` prints, so the two cannot disagree.
 */
export interface PairCounts {
  a: number;
  b: number;
  /** ARP and ICMP frames (NDP and ICMPv6 for IPv6): a pair with none is not a conversation the view lists. */
  arpIcmp: number;
  /** ICMP other than echo request and reply (errors, timestamps, ...); for IPv6, other than echo and NS/NA. */
  icmpOther: number;
  frames: number;
  bytes: number;
}

/** Frames and bytes sent from one MAC: what a bridge port received from its container. */
export interface MacCounts {
  frames: number;
  bytes: number;
}

/**
 * Counters the conversations and topology views show, kept per address pair and per source MAC
 * as numbers (two-level maps keyed by the wire values, so counting a frame allocates nothing once
 * its pair has been seen). Names are attached when the views render, not here. The last two
 * source MACs and the last IPv4 pair are remembered: an exchange (a request, its reply) counts
 * without a map lookup.
 */
export class TrafficCounts {
  private readonly pairMap = new Map<number, Map<number, PairCounts>>();
  private readonly pairMap6 = new Map<number, Map<number, PairCounts>>();
  /** The IPv6 addresses of `pairs6()`, interned the first time a pair is seen (no allocation after). */
  readonly ip6 = new Ipv6Keys();
  readonly byMac = new Map<number, MacCounts>();
  private lastMac = -1;
  private lastMacCounts: MacCounts | undefined;
  private prevMac = -1;
  private prevMacCounts: MacCounts | undefined;
  private lastPair: PairCounts | undefined;

  count(f: DecodedFrame): void {
    const mac = f.srcMacNum;
    if (mac !== undefined) {
      const m = this.macCounts(mac);
      m.frames++;
      m.bytes += f.origLen;
    }
    if (f.arp?.isEthernetIpv4) {
      const p = this.pair(f.arp.senderIpNum, f.arp.targetIpNum);
      p.arpIcmp++;
      p.frames++;
      p.bytes += f.origLen;
    } else if (f.ipv4) {
      const p = this.pair(f.ipv4.srcNum, f.ipv4.dstNum);
      p.frames++;
      p.bytes += f.origLen;
      const icmp = f.icmp;
      if (icmp) {
        p.arpIcmp++;
        if (icmp.type !== IcmpType.ECHO_REQUEST && icmp.type !== IcmpType.ECHO_REPLY) p.icmpOther++;
      }
    } else if (f.ipv6) this.count6(f);
  }

  /**
   * An NS counts for the asker and the address it asks for, as an ARP request counts sender and
   * target (a solicited-node group is no one), so it joins the analyzer's NDP pair; every other
   * frame, an NA included, for its source and destination.
   * MLD is group membership, not a conversation: counted as frames only.
   */
  private count6(f: DecodedFrame): void {
    const ip = f.ipv6!;
    const icmp = f.icmp6;
    const ns = icmp?.complete === true && icmp.type === Icmp6Type.NEIGHBOR_SOLICITATION;
    const nd = ns || icmp?.type === Icmp6Type.NEIGHBOR_ADVERTISEMENT;
    const x = this.ip6.internAt(f.bytes, ip.srcOffset);
    const y = this.ip6.internAt(f.bytes, ns ? icmp.targetOffset : ip.dstOffset);
    const p = this.pairIn(this.pairMap6, x, y);
    p.frames++;
    p.bytes += f.origLen;
    if (!icmp || icmp.isMld) return;
    p.arpIcmp++;
    if (!nd && !icmp.isEcho) p.icmpOther++;
  }

  pairs6(): PairCounts[] {
    const out: PairCounts[] = [];
    for (const inner of this.pairMap6.values()) for (const p of inner.values()) out.push(p);
    return out;
  }

  pairs(): PairCounts[] {
    const out: PairCounts[] = [];
    for (const inner of this.pairMap.values()) for (const p of inner.values()) out.push(p);
    return out;
  }

  private macCounts(mac: number): MacCounts {
    if (mac === this.lastMac) return this.lastMacCounts!;
    let m: MacCounts | undefined;
    if (mac === this.prevMac) m = this.prevMacCounts!;
    else {
      m = this.byMac.get(mac);
      if (!m) this.byMac.set(mac, (m = { frames: 0, bytes: 0 }));
    }
    this.prevMac = this.lastMac;
    this.prevMacCounts = this.lastMacCounts;
    this.lastMac = mac;
    this.lastMacCounts = m;
    return m;
  }

  private pair(x: number, y: number): PairCounts {
    const last = this.lastPair;
    if (last !== undefined && ((last.a === x && last.b === y) || (last.a === y && last.b === x))) return last;
    return (this.lastPair = this.pairIn(this.pairMap, x, y));
  }

  private pairIn(map: Map<number, Map<number, PairCounts>>, x: number, y: number): PairCounts {
    const a = Math.min(x, y);
    const b = Math.max(x, y);
    let inner = map.get(a);
    if (!inner) map.set(a, (inner = new Map()));
    let p = inner.get(b);
    if (!p) {
      p = { a, b, arpIcmp: 0, icmpOther: 0, frames: 0, bytes: 0 };
      inner.set(b, p);
    }
    return p;
  }
}
