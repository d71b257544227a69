import { macToNumber } from '../../annotate/address.js';
import type { Topology } from '../../model/topology.js';
import { formatMacNumber } from '../../decode/index.js';
import { sanitize } from '../../present/sanitize.js';
import type { TuiStore } from '../store/tui-store.js';

/** A line of the topology view: indent 0 bridge, 1 port, with traffic sent from that port's MACs. */
export interface TopologyLine {
  depth: 0 | 1;
  text: string;
  frames?: number;
  bytes?: number;
}

function safeMac(mac: string | undefined): number | undefined {
  if (!mac) return undefined;
  try {
    return macToNumber(mac);
  } catch {
    return undefined;
  }
}

/**
 * Bridge -> port (veth) -> container with MAC and IP, and the frames and bytes each port's
 * container sent; then the containers that exist but do not run, with their state. Without a topology snapshot: the MACs seen, named by the resolver.
 */
export function topologyLines(store: TuiStore, topo: Topology | undefined): TopologyLine[] {
  const lines: TopologyLine[] = [];
  const byMac = store.traffic.byMac;
  if (!topo) {
    const macs = [...byMac.entries()].sort((a, b) => b[1].frames - a[1].frames);
    for (const [mac, c] of macs) {
      const e = store.resolver.byMac(mac);
      const where = e ? `${sanitize(e.label)}${e.ipv4 ? ` ${sanitize(e.ipv4)}` : ''}${e.bridge ? ` on ${sanitize(e.bridge)}` : ''}` : '';
      lines.push({ depth: 1, text: `${formatMacNumber(mac)} ${where}`.trimEnd(), frames: c.frames, bytes: c.bytes });
    }
    return lines;
  }
  for (const br of topo.bridges) {
    const net = br.network ? ` (network ${sanitize(br.network)})` : '';
    lines.push({ depth: 0, text: `${sanitize(br.name)}${net} ${br.ipv4.map(sanitize).join(' ')}`.trimEnd() });
    for (const port of br.ports) {
      const ep = topo.endpoints.find((e) => e.hostVeth === port.name || (port.container !== undefined && e.container === port.container && e.bridge === br.name));
      const macs = new Set<number>();
      for (const m of [ep?.mac, ...port.learned.map((l) => l.mac)]) {
        const n = safeMac(m);
        if (n !== undefined) macs.add(n);
      }
      let frames = 0;
      let bytes = 0;
      for (const m of macs) {
        const c = byMac.get(m);
        if (c) {
          frames += c.frames;
          bytes += c.bytes;
        }
      }
      const who = port.container ?? ep?.container;
      const parts = [sanitize(port.name), '->', who ? sanitize(who) : '(no container)', ep?.mac ? sanitize(ep.mac) : '', ep?.ipv4 ? sanitize(ep.ipv4) : ''];
      lines.push({ depth: 1, text: parts.filter(Boolean).join(' '), frames, bytes });
    }
  }
  const stopped = topo.containers.filter((c) => c.state !== 'running');
  if (stopped.length) lines.push({ depth: 0, text: 'not running' });
  for (const c of stopped) lines.push({ depth: 1, text: `${sanitize(c.name)} (${sanitize(c.state)})` });
  return lines;
}
