import { identityKey } from '../model/identity.js';
import type { AnalysisContext } from './context.js';
import { PairCounters, type PairSummary } from './pairs.js';
import { RttStats } from './rtt-stats.js';

/**
 * The pair table by endpoint identity (model/identity.ts identityKey): address pairs of the same
 * two containers (one reached on two networks, a sidecar and its owner) are one row, shown by
 * label. Sorted by total traffic, busiest first.
 */
export function summarisePairs(ctx: AnalysisContext): PairSummary[] {
  const rows = new Map<string, Row>();
  const add = (p: PairCounters, sa: Side, sb: Side, v6: boolean) => {
    const [a, b] = sa.label < sb.label || (sa.label === sb.label && sa.key <= sb.key) ? [sa, sb] : [sb, sa];
    const key = `${a.key}\u0000${b.key}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { a, b, v4: new PairCounters(p.a, p.b), v6: new PairCounters(p.a, p.b) }));
    (v6 ? row.v6 : row.v4).merge(p);
  };
  for (const p of ctx.pairs.all()) add(p, side(ctx, p.a), side(ctx, p.b), false);
  for (const p of ctx.pairs6.all()) add(p, side6(ctx, p.a), side6(ctx, p.b), true);
  return [...rows.values()]
    .map(toSummary)
    .sort((x, y) => y.arp.requests + y.icmp.requests - (x.arp.requests + x.icmp.requests) || (x.a < y.a ? -1 : x.a > y.a ? 1 : 0));
}

interface Side {
  key: string;
  label: string;
  container?: string;
}

/** One row: its two sides and the counts of each family's address pairs between them. */
interface Row {
  a: Side;
  b: Side;
  v4: PairCounters;
  v6: PairCounters;
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

/** One family's columns of a row (ARP and ICMP, or ND and ICMPv6). */
function family(c: PairCounters): { resolve: PairSummary['arp']; echo: PairSummary['icmp'] } {
  const decided = (c.echoRtt?.count ?? 0) + c.echoLost + c.echoErrors;
  return {
    resolve: { requests: c.resolveRequests, replies: c.resolveReplies, unanswered: c.resolveUnanswered, pending: c.resolvePending, latency: RttStats.summary(c.resolveLatency) },
    echo: {
      requests: c.echoRequests,
      replies: c.echoReplies,
      lost: c.echoLost,
      errors: c.echoErrors,
      pending: c.echoPending,
      loss: decided === 0 ? 0 : c.echoLost / decided,
      rtt: RttStats.summary(c.echoRtt),
    },
  };
}

/** Key order is the NDJSON schema's: the IPv6 columns, when the pair spoke IPv6, come first. */
function toSummary({ a, b, v4, v6 }: Row): PairSummary {
  const spoke6 = v6.resolveRequests + v6.resolveReplies + v6.echoRequests + v6.echoReplies + v6.echoErrors > 0;
  const six = spoke6 ? family(v6) : undefined;
  const four = family(v4);
  return {
    ...(six ? { ndp: six.resolve, icmp6: six.echo } : {}),
    a: a.label,
    b: b.label,
    ...(a.container !== undefined ? { aContainer: a.container } : {}),
    ...(b.container !== undefined ? { bContainer: b.container } : {}),
    arp: four.resolve,
    icmp: four.echo,
  };
}
