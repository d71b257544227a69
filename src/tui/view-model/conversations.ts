import { formatIpv4Number } from '../../decode/index.js';
import { sanitize } from '../../present/sanitize.js';
import type { PairRtt } from '../store/analysis-feed.js';
import type { PairCounts } from '../store/traffic-counts.js';
import type { TuiStore } from '../store/tui-store.js';

/** One row of the conversations view: a container pair (names, or addresses when unknown). */
export interface ConversationRow extends Omit<PairCounts, 'a' | 'b'> {
  a: string;
  b: string;
  rtt?: PairRtt;
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

/**
 * Address pairs merged into container pairs (a container with two addresses is one row), with
 * the analyzer's RTT and unanswered counts joined by name when an analyzer is attached.
 * Sorted busiest first. Runs per render over the pairs seen, never per frame.
 */
export function conversationRows(store: TuiStore): ConversationRow[] {
  const r = store.resolver;
  const name = (ip: number) => sanitize(r.byIpv4(ip)?.label ?? formatIpv4Number(ip));
  const rows = new Map<string, ConversationRow>();
  for (const p of store.traffic.pairs()) {
    if (p.arpRequests + p.arpReplies + p.echoRequests + p.echoReplies + p.icmpOther === 0) continue;
    let a = name(p.a);
    let b = name(p.b);
    if (b < a) [a, b] = [b, a];
    const key = pairKey(a, b);
    let row = rows.get(key);
    if (!row) {
      row = { a, b, arpRequests: 0, arpReplies: 0, echoRequests: 0, echoReplies: 0, icmpOther: 0, frames: 0, bytes: 0 };
      rows.set(key, row);
    }
    row.arpRequests += p.arpRequests;
    row.arpReplies += p.arpReplies;
    row.echoRequests += p.echoRequests;
    row.echoReplies += p.echoReplies;
    row.icmpOther += p.icmpOther;
    row.frames += p.frames;
    row.bytes += p.bytes;
  }
  for (const rtt of store.analysis?.pairs() ?? []) {
    const row = rows.get(pairKey(sanitize(rtt.a), sanitize(rtt.b)));
    if (row) row.rtt = rtt;
  }
  return [...rows.values()].sort((x, y) => y.frames - x.frames);
}
