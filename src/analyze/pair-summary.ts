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
  const all: Array<[PairCounters, Side, Side]> = [];
  for (const p of ctx.pairs.all()) all.push([p, side(ctx, p.a), side(ctx, p.b)]);
  for (const p of ctx.pairs6.all()) all.push([p, side6(ctx, p.a), side6(ctx, p.b)]);
  for (const [p, sa, sb] of all) {
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

function side6(ctx: AnalysisContext, id: number): Side {
  const label = ctx.ip6Label(id);
  const e = ctx.resolver.byIpv6?.(ctx.ip6.bytesOf(id), 0, ctx.clock.nowSec);
  return { key: identityKey(e, label), label, container: e?.container };
}

function merge(into: PairCounters, p: PairCounters): void {
  into.ndpRequests += p.ndpRequests;
  into.ndpReplies += p.ndpReplies;
  into.ndpUnanswered += p.ndpUnanswered;
  into.ndpPending += p.ndpPending;
  into.echo6Requests += p.echo6Requests;
  into.echo6Replies += p.echo6Replies;
  into.echo6Lost += p.echo6Lost;
  into.echo6Errors += p.echo6Errors;
  into.echo6Pending += p.echo6Pending;
  into.ndpLatency.merge(p.ndpLatency);
  into.rtt6.merge(p.rtt6);
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
  const decided6 = c.rtt6.count + c.echo6Lost + c.echo6Errors;
  const v6 = c.ndpRequests + c.ndpReplies + c.echo6Requests + c.echo6Replies + c.echo6Errors > 0;
  return {
    ...(v6 ? {
      ndp: { requests: c.ndpRequests, replies: c.ndpReplies, unanswered: c.ndpUnanswered, pending: c.ndpPending, latency: c.ndpLatency.summary() },
      icmp6: {
        requests: c.echo6Requests, replies: c.echo6Replies, lost: c.echo6Lost, errors: c.echo6Errors, pending: c.echo6Pending,
        loss: decided6 === 0 ? 0 : c.echo6Lost / decided6, rtt: c.rtt6.summary(),
      },
    } : {}),
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
