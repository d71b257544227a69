import type { Command } from 'commander';
import { mergeCopies } from '../../copies/copy-merge-source.js';
import { ipv4CopyLayout } from '../../decode/copy-layout.js';
import { daemonOptions, positiveInt } from '../options.js';
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
  host: string[];
  context: string[];
}

/** `bridgescope summary FILE`: per container pair ARP/ICMP counts, RTT and loss, then the findings. */
export function registerSummary(program: Command): void {
  daemonOptions(program
    .command('summary')
    .description('per container pair: ARP and ICMP counts, RTT min/avg/max/p99, loss; then findings (unanswered, duplicate IP, ...)')
    .argument('<file>', 'capture file (.pcap/.pcapng), or - for standard input')
    .option('--json', 'print the analysis report as JSON')
    .option('--topology <file>', 'names from this topology snapshot (default: the one stored with the capture)')
    .option('--no-names', 'show addresses only')
    .option('--all-copies', 'count each copy of a frame seen on several interfaces (default: one frame)')
    .option('--docker', 'names from the running Docker daemon instead of the stored snapshot')
    .option('--arp-timeout <ms>', 'an ARP request with no reply after this many ms is unanswered', positiveInt('--arp-timeout'), 1000)
    .option('--echo-timeout <ms>', 'an echo request with no reply after this many ms is lost', positiveInt('--echo-timeout'), 1000))
    .action(async (file: string, flags: SummaryFlags) => {
      const names = await replayNames(file, flags);
      try {
        const { analyzeSource } = await import('../../analyze/index.js');
        const { formatSummary } = await import('../../present/summary-table.js');
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
