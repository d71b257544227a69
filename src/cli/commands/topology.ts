import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { loadTopology } from '../../docker/topology.js';
import { renderBox } from '../../docker/render/box.js';
import { renderDot, renderMermaid } from '../../docker/render/graph.js';
import { escapeJson } from '../../present/sanitize.js';

const formats = { box: renderBox, mermaid: renderMermaid, dot: renderDot } as const;

/** `bridgescope topology`: the host view the seed assembled from ifconfig, brctl, netstat and fdb. */
export function registerTopology(program: Command): void {
  program
    .command('topology')
    .description('show bridges, their networks, veths, containers, routes and learned MACs')
    .option('--json', 'print the topology snapshot as JSON (the format stored with captures)')
    .option('--format <format>', 'box (terminal diagram), mermaid or dot', 'box')
    .action(async (opts: { json?: boolean; format: string }) => {
      const render = formats[opts.format as keyof typeof formats];
      if (!render) throw new UsageError(`--format ${opts.format}: expected box, mermaid or dot`);
      const topology = await loadTopology();
      process.stdout.write(opts.json ? `${escapeJson(JSON.stringify(topology, null, 2))}\n` : render(topology));
    });
}
