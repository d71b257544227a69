import { formatMacNumber, Icmp6Type, NdOpt, type DecodedFrame } from '../decode/index.js';
import type { IcmpErrorSeen } from './trace-hops.js';
import type { TraceHop, TracePlan } from './trace-plan.js';

/** What one ICMPv6 frame adds to a hop under `trace -6`: NDP in ARP's columns, echo6 in echo's. */
export interface Ipv6Sighting {
  kind: 'arpRequests' | 'arpReplies' | 'echoRequests' | 'echoReplies' | 'errors';
  /** A MAC standing for the pinged address (an advert's target link-layer address, a shared link's echo). */
  mac?: string;
  error?: IcmpErrorSeen;
}

/**
 * Reads a frame as the IPv4 tally reads ARP and ICMP: a solicitation for the neighbour A must
 * resolve (B, or the gateway when routed) is a who-has, an advertisement of it an is-at; echo
 * requests and replies between A's and B's addresses; errors that quote A's echo to B.
 * `asked` holds the next hop and B; `direct` is true when they are one (a shared link).
 */
export function ipv6Sighting(f: DecodedFrame, plan: TracePlan, asked: ReadonlySet<string>, direct: boolean, hop: TraceHop): Ipv6Sighting | undefined {
  const icmp = f.icmp6;
  const ip = f.ipv6;
  if (!icmp || !ip || !icmp.complete) return undefined;
  switch (icmp.type) {
    case Icmp6Type.NEIGHBOR_SOLICITATION:
      return asked.has(icmp.target) ? { kind: 'arpRequests' } : undefined;
    case Icmp6Type.NEIGHBOR_ADVERTISEMENT: {
      const target = icmp.target;
      if (!asked.has(target)) return undefined;
      const ll = f.ndOptions.linkAddrText(NdOpt.TARGET_LL);
      const mac = ll || (f.srcMacNum !== undefined ? formatMacNumber(f.srcMacNum) : undefined);
      return { kind: 'arpReplies', mac: target === plan.toIp ? mac : undefined };
    }
    case Icmp6Type.ECHO_REQUEST:
      if (ip.src !== plan.fromIp || ip.dst !== plan.toIp) return undefined;
      return { kind: 'echoRequests', mac: direct && hop.role === 'source' && f.dstMacNum !== undefined ? formatMacNumber(f.dstMacNum) : undefined };
    case Icmp6Type.ECHO_REPLY:
      if (ip.src !== plan.toIp || ip.dst !== plan.fromIp) return undefined;
      // Routed, the reply reaches A from the gateway's MAC; only on a shared link is it B's own.
      return { kind: 'echoReplies', mac: direct && f.srcMacNum !== undefined ? formatMacNumber(f.srcMacNum) : undefined };
    default: {
      const q = f.quotedIpv6;
      if (!icmp.isError || !q || q.src !== plan.fromIp || q.dst !== plan.toIp) return undefined;
      return { kind: 'errors', error: { from: ip.src, type: icmp.type, code: icmp.code } };
    }
  }
}
