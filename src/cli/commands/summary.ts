import type { Command } from 'commander';
import { analyzeSource, type AnalysisReport, type PairSummary, type RttSummary } from '../../analyze/index.js';
import { mergeCopies } from '../../copies/copy-merge-source.js';
import { ipv4CopyLayout } from '../../decode/copy-layout.js';
import { TimestampText } from '../../present/clock.js';
import { positiveInt } from '../options.js';
import { msDigits } from '../../duration.js';
import { replayNames } from '../../session/replay-names.js';
import { escapeJson } from '../../present/sanitize.js';

interface SummaryFlags {
  json?: boolean;
  topology?: string;
  names: boolean;
  docker?: boolean;
  allCopies?: boolean;
  arpTimeout?: number;
  echoTimeout?: number;
}

/** `bridgescope summary FILE`: per container pair ARP/ICMP counts, RTT and loss, then the findings. */
export function registerSummary(program: Command): void {
  program
    .command('summary')
    .description('per container pair: ARP and ICMP counts, RTT min/avg/max/p99, loss; then findings (unanswered, duplicate IP, ...)')
    .argument('<file>', 'capture file (.pcap/.pcapng), or - for standard input')
    .option('--json', 'print the analysis report as JSON')
    .option('--topology <file>', 'names from this topology snapshot (default: the one stored with the capture)')
    .option('--no-names', 'show addresses only')
    .option('--all-copies', 'count each copy of a frame seen on several interfaces (default: one frame)')
    .option('--docker', 'names from the running Docker daemon instead of the stored snapshot')
    .option('--arp-timeout <ms>', 'an ARP request with no reply after this many ms is unanswered', positiveInt('--arp-timeout'), 1000)
    .option('--echo-timeout <ms>', 'an echo request with no reply after this many ms is lost', positiveInt('--echo-timeout'), 1000)
    .action(async (file: string, flags: SummaryFlags) => {
      const names = await replayNames(file, flags);
      try {
        const report = await analyzeSource(mergeCopies(names.source, ipv4CopyLayout, flags), {
          resolver: names.resolver,
          arpTimeoutMs: flags.arpTimeout,
          echoTimeoutMs: flags.echoTimeout,
        });
        process.stdout.write(flags.json ? `${escapeJson(JSON.stringify(report, null, 2))}\n` : formatSummary(report));
      } finally {
        await names.close();
      }
    });
}

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
