import { formatIpv4Number, formatIpv6 } from '../../decode/index.js';
import { identityKey } from '../../model/identity.js';
import { sanitize } from '../../present/sanitize.js';
import type { PairAnalysis } from '../store/analysis-feed.js';
import type { PairCounts } from '../store/traffic-counts.js';
import type { TuiStore } from '../store/tui-store.js';

/**
 * One row of the conversations view: a container pair (names, or addresses when unknown). Its
 * ARP, NDP and echo counts, RTT and unanswered are the analyzer's (`analysis`), absent without one.
 */
export interface ConversationRow extends Omit<PairCounts, 'a' | 'b' | 'arpIcmp'> {
  a: string;
  b: string;
  analysis?: PairAnalysis;
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

/**
 * Address pairs merged into container pairs by identity (a container with two addresses, or a
 * sidecar and its owner, is one row, shown by label), with the analyzer's pair (counts, RTT,
 * unanswered) joined by label when an analyzer is attached. Sorted busiest first. Runs per render
 * over the pairs seen, never per frame.
 */
export function conversationRows(store: TuiStore): ConversationRow[] {
  const r = store.resolver;
  const side = (ip: number) => {
    const e = r.byIpv4(ip);
    const label = sanitize(e?.label ?? formatIpv4Number(ip));
    return { label, key: identityKey(e, label) };
  };
  const side6 = (id: number) => {
    const bytes = store.traffic.ip6.bytesOf(id);
    const e = r.byIpv6?.(bytes, 0);
    const label = sanitize(e?.label ?? formatIpv6(bytes, 0));
    return { label, key: identityKey(e, label) };
  };
  const rows = new Map<string, ConversationRow>();
  const all = [...store.traffic.pairs().map((p) => [p, side(p.a), side(p.b)] as const), ...store.traffic.pairs6().map((p) => [p, side6(p.a), side6(p.b)] as const)];
  for (const [p, sa, sb] of all) {
    if (p.arpIcmp === 0) continue;
    let a = sa;
    let b = sb;
    if (b.label < a.label) [a, b] = [b, a];
    const key = pairKey(a.key, b.key);
    let row = rows.get(key);
    if (!row) {
      row = { a: a.label, b: b.label, icmpOther: 0, frames: 0, bytes: 0 };
      rows.set(key, row);
    }
    row.icmpOther += p.icmpOther;
    row.frames += p.frames;
    row.bytes += p.bytes;
  }
  const byLabel = new Map([...rows.values()].map((row) => [pairKey(row.a, row.b), row]));
  for (const pair of store.analysis?.pairs() ?? []) {
    const row = byLabel.get(pairKey(sanitize(pair.a), sanitize(pair.b)));
    if (row) row.analysis = pair;
  }
  return [...rows.values()].sort((x, y) => y.frames - x.frames);
}
