import { sanitize } from '../sanitize.js';
import type { AnalysisReport, PairSummary, RttSummary } from '../analyze/index.js';
import { msDigits } from '../duration.js';
import { TimestampText } from './clock.js';

const ms = (ns: number | undefined) => (ns === undefined ? '-' : msDigits(ns));

function rttText(r: RttSummary): string {
  if (r.count === 0) return '-';
  return `${ms(r.minNs)}/${ms(r.avgNs)}/${ms(r.maxNs)}/${ms(r.p99Ns)}${r.p99Exact ? '' : '~'}`;
}

function echoCells(e: PairSummary['icmp']): string[] {
  const pending = e.pending ? ` (+${e.pending} pending)` : '';
  return [
    `${e.requests}/${e.replies}/${e.lost}${e.errors ? `/${e.errors} err` : ''}${pending}`,
    `${(e.loss * 100).toFixed(e.loss === 0 || e.loss === 1 ? 0 : 1)}%`,
    rttText(e.rtt),
  ];
}

/** The IPv6 columns (NDP beside ARP, ICMPv6 echo beside ICMP) appear when some pair spoke IPv6. */
function row(p: PairSummary, v6: boolean): string[] {
  const cells = [`${sanitize(p.a)} <-> ${sanitize(p.b)}`, `${p.arp.requests}/${p.arp.replies}/${p.arp.unanswered}`, ...echoCells(p.icmp)];
  if (!v6) return cells;
  const n = p.ndp;
  return [...cells, n ? `${n.requests}/${n.replies}/${n.unanswered}` : '-', ...(p.icmp6 ? echoCells(p.icmp6) : ['-', '-', '-'])];
}

/** Plain-text table; the analyzer's labels and finding texts are raw, escaped here for the terminal. `~` marks a sampled p99. */
export function formatSummary(r: AnalysisReport): string {
  const v6 = r.pairs.some((p) => p.ndp);
  const head = ['pair', 'arp req/rep/unans', 'icmp req/rep/lost', 'loss', 'rtt ms min/avg/max/p99',
    ...(v6 ? ['ndp req/rep/unans', 'icmp6 req/rep/lost', 'loss6', 'rtt6 ms min/avg/max/p99'] : [])];
  const rows = [head, ...r.pairs.map((p) => row(p, v6))];
  const widths = head.map((_, i) => Math.max(...rows.map((x) => x[i].length)));
  const lines = rows.map((x) => x.map((c, i) => (i === x.length - 1 ? c : c.padEnd(widths[i]))).join('  '));
  if (r.pairs.length === 0) lines.push('(no ARP, ICMP, NDP or ICMPv6 between endpoints)');
  const total = Object.values(r.findingCounts).reduce((a, b) => a + (b ?? 0), 0);
  lines.push('', `${r.frames} frames, ${total} finding${total === 1 ? '' : 's'}${total > r.findings.length ? ` (first ${r.findings.length} listed)` : ''}`);
  const clock = new TimestampText(6);
  // Raised in time order (an unanswered request only once its timeout passed); read in frame order.
  const byFrame = [...r.findings].sort((a, b) => a.frames[0] - b.frames[0]);
  for (const f of byFrame) {
    lines.push(`  ${f.severity.padEnd(7)}  frame ${String(f.frames[0]).padStart(6)}  ${clock.format(f.tsSec, f.tsNsec)}  ${sanitize(f.text)}`);
  }
  return lines.join('\n') + '\n';
}
