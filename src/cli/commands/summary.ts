import type { Command } from 'commander';
import { analyzeSource, type AnalysisReport, type PairSummary, type RttSummary } from '../../analyze/index.js';
import { mergeCopies } from '../../copies/copy-merge-source.js';
import { ipv4CopyLayout } from '../../decode/copy-layout.js';
import { FrameClock } from '../../present/clock.js';
import { positiveInt } from '../options.js';
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

const ms = (ns: number | undefined) => (ns === undefined ? '-' : (ns / 1e6).toFixed(3));

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
  const cells = [`${p.a} <-> ${p.b}`, `${p.arp.requests}/${p.arp.replies}/${p.arp.unanswered}`, ...echoCells(p.icmp)];
  if (!v6) return cells;
  const n = p.ndp;
  return [...cells, n ? `${n.requests}/${n.replies}/${n.unanswered}` : '-', ...(p.icmp6 ? echoCells(p.icmp6) : ['-', '-', '-'])];
}

/** Plain-text table; labels were sanitised by the analyzer. `~` marks a sampled p99. */
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
  const clock = new FrameClock(6);
  // Raised in time order (an unanswered request only once its timeout passed); read in frame order.
  const byFrame = [...r.findings].sort((a, b) => a.frames[0] - b.frames[0]);
  for (const f of byFrame) {
    lines.push(`  ${f.severity.padEnd(7)}  frame ${String(f.frames[0]).padStart(6)}  ${clock.format(f.tsSec, f.tsNsec)}  ${f.text}`);
  }
  return lines.join('\n') + '\n';
}
