import { RttStats, type RttSummary } from './rtt-stats.js';

/**
 * Counters for one unordered pair of addresses of one family: IPv4 (ARP, ICMP echo) in
 * `AnalysisContext.pairs`, IPv6 (Neighbor Discovery, ICMPv6 echo) in `pairs6`, by their `ip6Id`s.
 * Merged by container identity for the summary. RTT sets exist once a pair has a sample: most
 * pairs of an address scan never have one.
 */
export class PairCounters {
  /** Address resolution: ARP requests and replies, or ND solicitations and advertisements. */
  resolveRequests = 0;
  resolveReplies = 0;
  resolveUnanswered = 0;
  /** Requests still open when the input ended, younger than the timeout. */
  resolvePending = 0;
  resolveLatency: RttStats | undefined;
  echoRequests = 0;
  echoReplies = 0;
  /** Requests past their timeout with no reply (a late reply takes one back). */
  echoLost = 0;
  echoPending = 0;
  /** Requests answered by an ICMP error instead of a reply. */
  echoErrors = 0;
  echoRtt: RttStats | undefined;

  constructor(
    readonly a: number,
    readonly b: number,
  ) {}

  addResolveLatency(ns: number): void {
    (this.resolveLatency ??= new RttStats()).add(ns);
  }

  addEchoRtt(ns: number): void {
    (this.echoRtt ??= new RttStats()).add(ns);
  }

  /** Adds another pair's counts (two address pairs of the same two endpoints). */
  merge(p: PairCounters): void {
    this.resolveRequests += p.resolveRequests;
    this.resolveReplies += p.resolveReplies;
    this.resolveUnanswered += p.resolveUnanswered;
    this.resolvePending += p.resolvePending;
    if (p.resolveLatency) (this.resolveLatency ??= new RttStats()).merge(p.resolveLatency);
    this.echoRequests += p.echoRequests;
    this.echoReplies += p.echoReplies;
    this.echoLost += p.echoLost;
    this.echoErrors += p.echoErrors;
    this.echoPending += p.echoPending;
    if (p.echoRtt) (this.echoRtt ??= new RttStats()).merge(p.echoRtt);
  }
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
