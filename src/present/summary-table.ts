import type { AnalysisReport, PairSummary, RttSummary } from '../analyze/index.js';
import { msDigits } from '../duration.js';
import { TimestampText } from './clock.js';

const ms = (ns: number | undefined) => (ns === undefined ? '-' : msDigits(ns));

function rttText(r: RttSummary): string {
  if (r.count === 0) return '-';
  return `${ms(r.minNs)}/${ms(r.avgNs)}/${ms(r.maxNs)}/${ms(r.p99Ns)}${r.p99Exact ? '' : '~'}`;
}

function row(p: PairSummary): string[] {
  const pending = p.icmp.pending ? ` (+${p.icmp.pending} pending)` : '';
  return [
    `${p.a} <-> ${p.b}`,
    `${p.arp.requests}/${p.arp.replies}/${p.arp.unanswered}`,
    `${p.icmp.requests}/${p.icmp.replies}/${p.icmp.lost}${p.icmp.errors ? `/${p.icmp.errors} err` : ''}${pending}`,
    `${(p.icmp.loss * 100).toFixed(p.icmp.loss === 0 || p.icmp.loss === 1 ? 0 : 1)}%`,
    rttText(p.icmp.rtt),
  ];
}

/** Plain-text table; labels were sanitised by the analyzer. `~` marks a sampled p99. */
export function formatSummary(r: AnalysisReport): string {
  const head = ['pair', 'arp req/rep/unans', 'icmp req/rep/lost', 'loss', 'rtt ms min/avg/max/p99'];
  const rows = [head, ...r.pairs.map(row)];
  const widths = head.map((_, i) => Math.max(...rows.map((x) => x[i].length)));
  const lines = rows.map((x) => x.map((c, i) => (i === x.length - 1 ? c : c.padEnd(widths[i]))).join('  '));
  if (r.pairs.length === 0) lines.push('(no ARP or ICMP between endpoints)');
  const total = Object.values(r.findingCounts).reduce((a, b) => a + (b ?? 0), 0);
  lines.push('', `${r.frames} frames, ${total} finding${total === 1 ? '' : 's'}${total > r.findings.length ? ` (first ${r.findings.length} listed)` : ''}`);
  const clock = new TimestampText(6);
  // Raised in time order (an unanswered request only once its timeout passed); read in frame order.
  const byFrame = [...r.findings].sort((a, b) => a.frames[0] - b.frames[0]);
  for (const f of byFrame) {
    lines.push(`  ${f.severity.padEnd(7)}  frame ${String(f.frames[0]).padStart(6)}  ${clock.format(f.tsSec, f.tsNsec)}  ${f.text}`);
  }
  return lines.join('\n') + '\n';
}
