import { IcmpType, type DecodedFrame } from '../../decode/index.js';

/**
 * Traffic between two IPv4 addresses (a < b), both directions together. ARP and echo requests and
 * replies are not counted here: the conversations view takes them from the analyzer's pair table
 * (analyze/pairs.ts), the one `summary` prints, so the two cannot disagree.
 */
export interface PairCounts {
  a: number;
  b: number;
  /** ARP and ICMP frames: a pair with none is not a conversation the view lists. */
  arpIcmp: number;
  /** ICMP other than echo request and reply (errors, timestamps, ...). */
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
 * its pair has been seen). Names are attached when the views render, not here.
 */
export class TrafficCounts {
  private readonly pairMap = new Map<number, Map<number, PairCounts>>();
  readonly byMac = new Map<number, MacCounts>();

  count(f: DecodedFrame): void {
    const mac = f.srcMacNum;
    if (mac !== undefined) {
      let m = this.byMac.get(mac);
      if (!m) this.byMac.set(mac, (m = { frames: 0, bytes: 0 }));
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
    }
  }

  pairs(): PairCounts[] {
    const out: PairCounts[] = [];
    for (const inner of this.pairMap.values()) for (const p of inner.values()) out.push(p);
    return out;
  }

  private pair(x: number, y: number): PairCounts {
    const a = Math.min(x, y);
    const b = Math.max(x, y);
    let inner = this.pairMap.get(a);
    if (!inner) this.pairMap.set(a, (inner = new Map()));
    let p = inner.get(b);
    if (!p) {
      p = { a, b, arpIcmp: 0, icmpOther: 0, frames: 0, bytes: 0 };
      inner.set(b, p);
    }
    return p;
  }
}
