import type { HostsTopology } from '../../model/hosts.js';
import { sanitize } from '../../sanitize.js';

/**
 * `topology -H A -H B`: each host as its daemon sees it, then each overlay network with the hosts
 * it spans, their underlay addresses and which container is on which host.
 */
export function renderHosts(t: HostsTopology): string {
  const s = sanitize;
  const out: string[] = [];
  for (const h of t.hosts) {
    const about = h.error
      ? `not answering: ${s(h.error)}`
      : [h.hostname && `hostname ${s(h.hostname)}`, h.dockerVersion && `Docker ${s(h.dockerVersion)}`,
        h.swarm ? `swarm ${h.swarm.role}, underlay ${s(h.swarm.underlay)}` : 'not in a swarm'].filter(Boolean).join(', ');
    out.push(`╭─ host ${s(h.name)}  (${about})  ${s(h.endpoint)}`);
    for (const n of h.networks) {
      const extra = [n.subnet, n.bridge && `bridge ${s(n.bridge)}`, n.vni?.length && `VNI ${n.vni.join(',')}`].filter(Boolean).join('  ');
      out.push(`│  network ${s(n.name)}  ${s(n.driver)}  ${extra}`.trimEnd());
    }
    for (const c of h.containers) {
      const eps = c.endpoints.map((e) => `${s(e.network)} ${e.ipv4 ?? '-'}${e.mac ? ` ${e.mac}` : ''}`).join(', ');
      out.push(`│  container ${s(c.name)}@${s(h.name)}  ${s(c.state)}  ${eps}`.trimEnd());
    }
    if (!h.error && h.containers.length === 0) out.push('│  (no containers)');
    out.push('╰─');
  }
  for (const o of t.overlays) {
    const spans = o.hosts.map((h) => s(h.host)).join(', ');
    out.push(`overlay ${s(o.name)}  VNI ${o.vni.join(',') || '?'}  ${o.subnet ?? ''}  spans ${spans}`.replace(/ {3,}/g, '  '));
    o.hosts.forEach((h, k) => {
      const who = h.containers.map((c) => `${s(c.name)} ${c.ipv4 ?? '-'}`).join(', ') || '(no containers)';
      out.push(`  ${k === o.hosts.length - 1 ? '└' : '├'}── ${s(h.host)}  underlay ${h.underlay ? s(h.underlay) : '?'}: ${who}`);
    });
    const unknown = o.peers.filter((p) => !o.hosts.some((h) => h.underlay === p.ip));
    if (unknown.length) out.push(`  also peers (hosts not asked): ${unknown.map((p) => s(p.ip)).join(', ')}`);
  }
  if (t.hosts.length && t.overlays.length === 0) out.push('no overlay network spans these hosts');
  return out.join('\n') + '\n';
}
