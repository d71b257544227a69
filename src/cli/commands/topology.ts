import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { loadTopology } from '../../docker/topology.js';
import { renderBox } from '../../present/topology/box.js';
import { renderDot, renderMermaid } from '../../present/topology/graph.js';
import { renderHistory } from '../../present/topology/history.js';
import { encodeSnapshotHistory } from '../../annotate/snapshot.js';
import { escapeJson } from '../../present/sanitize.js';
import { daemonOptions } from '../options.js';
import { daemonsFrom } from '../../docker/daemons.js';

const formats = { box: renderBox, mermaid: renderMermaid, dot: renderDot } as const;

/** `bridgescope topology`: the host view the seed assembled from ifconfig, brctl, netstat and fdb. */
export function registerTopology(program: Command): void {
  daemonOptions(program
    .command('topology')
    .description('show bridges, their networks, veths, containers, routes and learned MACs')
    .option('--json', 'print the topology snapshot as JSON (the format stored with captures)')
    .option('--format <format>', 'box (terminal diagram), mermaid or dot', 'box')
    .option('--file <capture>', 'the topology history a capture file holds: what it started with, each change, every container it knew'))
    .action(async (opts: { json?: boolean; format: string; file?: string; host: string[]; context: string[] }) => {
      const render = formats[opts.format as keyof typeof formats];
      if (!render) throw new UsageError(`--format ${opts.format}: expected box, mermaid or dot`);
      const daemons = daemonsFrom(opts.host, opts.context);
      if (daemons.length) {
        if (opts.file) throw new UsageError('-H/--context and --file: a capture file holds its own topology; give one or the other');
        if (opts.format !== 'box') throw new UsageError(`--format ${opts.format} with -H/--context: several hosts are shown as text or --json`);
        const { loadHosts } = await import('../../docker/hosts.js');
        const { renderHosts } = await import('../../present/topology/hosts.js');
        const hosts = await loadHosts(daemons);
        process.stdout.write(opts.json ? `${escapeJson(JSON.stringify(hosts, null, 2))}\n` : renderHosts(hosts));
        return;
      }
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
