import { identityKey } from '../model/identity.js';
import type { AnalysisContext } from './context.js';
import { PairCounters, type PairSummary } from './pairs.js';

/**
 * The pair table by endpoint identity (model/identity.ts identityKey): address pairs of the same
 * two containers (one reached on two networks, a sidecar and its owner) are one row, shown by
 * label. Sorted by total traffic, busiest first.
 */
export function summarisePairs(ctx: AnalysisContext): PairSummary[] {
  const rows = new Map<string, { a: Side; b: Side; c: PairCounters }>();
  for (const p of ctx.pairs.all()) {
    const sa = side(ctx, p.a);
    const sb = side(ctx, p.b);
    const [a, b] = sa.label < sb.label || (sa.label === sb.label && sa.key <= sb.key) ? [sa, sb] : [sb, sa];
    const key = `${a.key}\u0000${b.key}`;
    const row = rows.get(key);
    if (!row) {
      const c = new PairCounters(p.a, p.b);
      merge(c, p);
      rows.set(key, { a, b, c });
    } else merge(row.c, p);
  }
  return [...rows.values()]
    .map(({ a, b, c }) => toSummary(a, b, c))
    .sort((x, y) => y.arp.requests + y.icmp.requests - (x.arp.requests + x.icmp.requests) || (x.a < y.a ? -1 : x.a > y.a ? 1 : 0));
}

interface Side {
  key: string;
  label: string;
  container?: string;
}

function side(ctx: AnalysisContext, ip: number): Side {
  const label = ctx.ipLabel(ip);
  const e = ctx.resolver.byIpv4(ip, ctx.clock.nowSec);
  return { key: identityKey(e, label), label, container: e?.container };
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

function toSummary(a: Side, b: Side, c: PairCounters): PairSummary {
  const decided = c.rtt.count + c.echoLost + c.echoErrors;
  return {
    a: a.label,
    b: b.label,
    ...(a.container !== undefined ? { aContainer: a.container } : {}),
    ...(b.container !== undefined ? { bContainer: b.container } : {}),
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
