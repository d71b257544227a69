import type { Topology } from '../../model/topology.js';
import { hostView } from './host-view.js';
import { sanitize } from '../../sanitize.js';

/** The same picture as `renderBox`, for documents: Mermaid flowchart or Graphviz dot. */
interface Graph {
  nodes: Array<{ id: string; lines: string[] }>;
  edges: Array<{ from: string; to: string; label?: string }>;
}

function graphOf(t: Topology): Graph {
  const v = hostView(t);
  const g: Graph = { nodes: [], edges: [] };
  const hostLines = ['host', ...v.nics.map((n) => `${n.name} ${n.ipv4.join(' ')}`)];
  g.nodes.push({ id: 'host', lines: hostLines });
  v.bridges.forEach((b, i) => {
    const bid = `br${i}`;
    g.nodes.push({
      id: bid,
      lines: [b.bridge.name, b.bridge.network ? `network ${b.bridge.network}` : '', b.subnet ?? '', b.gateway ? `gateway ${b.gateway}` : '', b.subnet6 ?? '', b.gateway6 ? `gateway ${b.gateway6}` : ''].filter(Boolean),
    });
    g.edges.push({ from: 'host', to: bid, label: b.routes.map((r) => r.dst).join(' ') || undefined });
    b.ports.forEach(({ port, endpoint: e }, k) => {
      const cid = `${bid}c${k}`;
      g.nodes.push({ id: cid, lines: e ? [e.container, `${e.ifname ?? 'eth?'} ${e.mac ?? ''}`, e.ipv4 ?? ''].filter(Boolean) : [port.name] });
      g.edges.push({ from: bid, to: cid, label: port.name });
    });
  });
  v.loose.forEach((c, k) => {
    g.nodes.push({ id: `loose${k}`, lines: [c.label, c.mode] });
    g.edges.push({ from: 'host', to: `loose${k}` });
  });
  v.stopped.forEach((c, k) => {
    g.nodes.push({ id: `stopped${k}`, lines: [c.name, c.state, ...c.networks] });
    g.edges.push({ from: 'host', to: `stopped${k}`, label: 'not running' });
  });
  return g;
}

const clean = (text: string) => sanitize(text).replace(/["\\<>]/g, (c) => `#${c.charCodeAt(0)};`);

export function renderMermaid(t: Topology): string {
  const g = graphOf(t);
  const out = ['flowchart LR'];
  for (const n of g.nodes) out.push(`  ${n.id}["${n.lines.map(clean).join('<br/>')}"]`);
  for (const e of g.edges) out.push(`  ${e.from} ---${e.label ? `|"${clean(e.label)}"|` : ''} ${e.to}`);
  return out.join('\n') + '\n';
}

const dotText = (text: string) => sanitize(text).replace(/["\\]/g, (c) => `\\${c}`);

export function renderDot(t: Topology): string {
  const g = graphOf(t);
  const out = ['graph bridgescope {', '  rankdir=LR;', '  node [shape=box, fontname="monospace"];'];
  for (const n of g.nodes) out.push(`  ${n.id} [label="${n.lines.map(dotText).join('\\n')}"];`);
  for (const e of g.edges) out.push(`  ${e.from} -- ${e.to}${e.label ? ` [label="${dotText(e.label)}"]` : ''};`);
  out.push('}');
  return out.join('\n') + '\n';
}
