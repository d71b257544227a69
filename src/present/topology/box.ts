import type { Topology } from '../../model/topology.js';
import { hostView } from './host-view.js';
import { sanitize } from '../../sanitize.js';

/** The default `bridgescope topology` picture: the host as a box-drawing tree. */
export function renderBox(t: Topology): string {
  const v = hostView(t);
  const s = sanitize;
  const out: string[] = [`╭─ host ${s(t.hostname ?? '')}${t.dockerVersion ? `  (Docker ${s(t.dockerVersion)})` : ''}`];
  for (const nic of v.nics) out.push(`│  ${s(nic.name)}  ${nic.ipv4.join(' ')}  ${nic.mac ?? ''}`.trimEnd());
  if (v.defaultRoute) out.push(`│  default via ${v.defaultRoute.gateway ?? '?'} dev ${s(v.defaultRoute.dev ?? '?')}`);
  for (const b of v.bridges) {
    out.push('│');
    const net = b.bridge.network ? `network ${s(b.bridge.network)}` : 'not a Docker network';
    const addr = [b.subnet, b.gateway && `gateway ${b.gateway}`, b.subnet6 && s(b.subnet6), b.gateway6 && `gateway ${s(b.gateway6)}`, b.bridge.mac && `mac ${b.bridge.mac}`].filter(Boolean).join('  ');
    out.push(`├─┬─ bridge ${s(b.bridge.name)}  ${net}  ${addr}`.trimEnd());
    for (const r of b.routes) out.push(`│ │  route ${r.dst} dev ${s(r.dev ?? '')}${r.prefsrc ? ` src ${r.prefsrc}` : ''}`);
    if (b.ports.length === 0) out.push('│ └── (no ports)');
    b.ports.forEach(({ port, endpoint: e }, k) => {
      const last = k === b.ports.length - 1;
      const other = e
        ? `${s(e.ifname ?? 'eth?')} [${s(e.container)}]  ${e.mac ?? ''}  ${e.ipv4 ? `${e.ipv4}/${e.prefixLen ?? 32}` : ''}${e.ipv6?.length ? `  ${s(e.ipv6.join(' '))}` : ''}`
        : '(no container known)';
      out.push(`│ ${last ? '└' : '├'}── ${s(port.name)} ══ ${other}`.trimEnd());
      const learned = port.learned.map((l) => `${l.mac}${l.container ? ` (${s(l.container)})` : ''}`).join(', ');
      out.push(`│ ${last ? ' ' : '│'}      learned: ${learned || 'none yet'}`);
    });
  }
  if (v.loose.length) {
    out.push('│');
    for (const c of v.loose) out.push(`├── [${s(c.label)}] ${c.mode}`);
  }
  if (v.stopped.length) {
    out.push('│');
    out.push('├─┬─ not running');
    v.stopped.forEach((c, k) => {
      const on = c.networks.length ? `  (${c.networks.map(s).join(', ')})` : '';
      out.push(`│ ${k === v.stopped.length - 1 ? '└' : '├'}── [${s(c.name)}] ${s(c.state)}${on}`);
    });
  }
  out.push('╰─');
  return out.join('\n') + '\n';
}
