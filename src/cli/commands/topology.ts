import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { loadTopology } from '../../docker/topology.js';
import { renderBox } from '../../present/topology/box.js';
import { renderDot, renderMermaid } from '../../present/topology/graph.js';
import { renderHistory } from '../../present/topology/history.js';
import { encodeSnapshotHistory } from '../../annotate/snapshot.js';
import { escapeJson } from '../../present/sanitize.js';

const formats = { box: renderBox, mermaid: renderMermaid, dot: renderDot } as const;

/** `bridgescope topology`: the host view the seed assembled from ifconfig, brctl, netstat and fdb. */
export function registerTopology(program: Command): void {
  program
    .command('topology')
    .description('show bridges, their networks, veths, containers, routes and learned MACs')
    .option('--json', 'print the topology snapshot as JSON (the format stored with captures)')
    .option('--format <format>', 'box (terminal diagram), mermaid or dot', 'box')
    .option('--file <capture>', 'the topology history a capture file holds: what it started with, each change, every container it knew')
    .action(async (opts: { json?: boolean; format: string; file?: string }) => {
      const render = formats[opts.format as keyof typeof formats];
      if (!render) throw new UsageError(`--format ${opts.format}: expected box, mermaid or dot`);
      if (opts.file) {
        const { captureHistory } = await import('../../session/snapshot-file.js');
        const history = await captureHistory(opts.file);
        process.stdout.write(opts.json ? `${escapeJson(encodeSnapshotHistory(history))}\n` : renderHistory(history));
        return;
      }
      const topology = await loadTopology();
      process.stdout.write(opts.json ? `${escapeJson(JSON.stringify(topology, null, 2))}\n` : render(topology));
    });
}
