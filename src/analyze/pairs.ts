import { RttStats, type RttSummary } from './rtt-stats.js';

/** Counters for one unordered pair of IPv4 addresses; merged by container identity for the summary. */
export class PairCounters {
  arpRequests = 0;
  arpReplies = 0;
  arpUnanswered = 0;
  echoRequests = 0;
  echoReplies = 0;
  /** Requests past their timeout with no reply (a late reply takes one back). */
  echoLost = 0;
  /** Requests still open when the input ended, younger than the timeout. */
  echoPending = 0;
  arpPending = 0;
  /** Requests answered by an ICMP error instead of a reply. */
  echoErrors = 0;
  readonly arpLatency = new RttStats();
  readonly rtt = new RttStats();
  /** IPv6 (counted in `AnalysisContext.pairs6`): Neighbor Discovery as ARP is, ICMPv6 echo as ICMP echo. */
  ndpRequests = 0;
  ndpReplies = 0;
  ndpUnanswered = 0;
  ndpPending = 0;
  echo6Requests = 0;
  echo6Replies = 0;
  echo6Lost = 0;
  echo6Errors = 0;
  echo6Pending = 0;
  readonly ndpLatency = new RttStats();
  readonly rtt6 = new RttStats();

  constructor(
    readonly a: number,
    readonly b: number,
  ) {}
}

export interface PairSummary {
  /** Endpoint labels, sorted, so a pair reads the same whichever side asked. */
  a: string;
  b: string;
  /** The containers' own names (not labels) when the sides are containers, for joins with `topology --json`. */
  aContainer?: string;
  bContainer?: string;
  arp: { requests: number; replies: number; unanswered: number; pending: number; latency: RttSummary };
  icmp: {
    requests: number;
    replies: number;
    lost: number;
    errors: number;
    /** Requests neither answered nor timed out when the input ended. */
    pending: number;
    /** lost / (answered + lost + errors): the share of decided requests never answered, 0..1. */
    loss: number;
    rtt: RttSummary;
  };
  /** Present when the pair spoke IPv6: the same counters for Neighbor Discovery and ICMPv6 echo. */
  ndp?: PairSummary['arp'];
  icmp6?: PairSummary['icmp'];
}

/**
 * Pair table keyed by numbers (no string per frame): outer key the lower IPv4, inner the higher.
 * The last pair found is answered without a lookup: a flood repeats it frame after frame.
 */
export class PairTable {
  private readonly byLow = new Map<number, Map<number, PairCounters>>();
  private last: PairCounters | undefined;

  get(x: number, y: number): PairCounters {
    const last = this.last;
    if (last !== undefined && ((last.a === x && last.b === y) || (last.a === y && last.b === x))) return last;
    return this.lookup(x < y ? x : y, x < y ? y : x);
  }

  private lookup(lo: number, hi: number): PairCounters {
    let inner = this.byLow.get(lo);
    if (!inner) this.byLow.set(lo, (inner = new Map()));
    let p = inner.get(hi);
    if (!p) inner.set(hi, (p = new PairCounters(lo, hi)));
    this.last = p;
    return p;
  }

  *all(): IterableIterator<PairCounters> {
    for (const inner of this.byLow.values()) yield* inner.values();
  }
}
