import type { AnalysisContext } from './context.js';
import { PairCounters, type PairSummary } from './pairs.js';

/**
 * The pair table by endpoint label: address pairs that carry the same two labels (a container
 * reached on two of its addresses) are merged. Sorted by total traffic, busiest first.
 */
export function summarisePairs(ctx: AnalysisContext): PairSummary[] {
  const byLabel = new Map<string, { a: string; b: string; c: PairCounters }>();
  for (const p of ctx.pairs.all()) {
    const la = ctx.ipLabel(p.a);
    const lb = ctx.ipLabel(p.b);
    const [a, b] = la <= lb ? [la, lb] : [lb, la];
    const key = `${a}\u0000${b}`;
    const row = byLabel.get(key);
    if (!row) {
      const c = new PairCounters(p.a, p.b);
      merge(c, p);
      byLabel.set(key, { a, b, c });
    } else merge(row.c, p);
  }
  return [...byLabel.values()]
    .map(({ a, b, c }) => toSummary(a, b, c))
    .sort((x, y) => y.arp.requests + y.icmp.requests - (x.arp.requests + x.icmp.requests) || (x.a < y.a ? -1 : x.a > y.a ? 1 : 0));
}

function merge(into: PairCounters, p: PairCounters): void {
  into.arpRequests += p.arpRequests;
  into.arpReplies += p.arpReplies;
  into.arpUnanswered += p.arpUnanswered;
  into.arpPending += p.arpPending;
  into.echoRequests += p.echoRequests;
  into.echoReplies += p.echoReplies;
  into.echoLost += p.echoLost;
  into.echoErrors += p.echoErrors;
  into.echoPending += p.echoPending;
  into.arpLatency.merge(p.arpLatency);
  into.rtt.merge(p.rtt);
}

function toSummary(a: string, b: string, c: PairCounters): PairSummary {
  const decided = c.rtt.count + c.echoLost + c.echoErrors;
  return {
    a,
    b,
    arp: { requests: c.arpRequests, replies: c.arpReplies, unanswered: c.arpUnanswered, pending: c.arpPending, latency: c.arpLatency.summary() },
    icmp: {
      requests: c.echoRequests,
      replies: c.echoReplies,
      lost: c.echoLost,
      errors: c.echoErrors,
      pending: c.echoPending,
      loss: decided === 0 ? 0 : c.echoLost / decided,
      rtt: c.rtt.summary(),
    },
  };
}
