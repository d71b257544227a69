import type { EndpointInfo, NetworkInfo, Topology } from '../model/topology.js';
import { namespaceOwnerId } from '../model/identity.js';
import { container, type TraceHop, type TracePlan } from './trace-plan.js';
import { netnsInterfaceName } from './overlay-points.js';

/** What carries a trace between two Docker hosts: the overlay they share and the hosts' underlay addresses. */
export interface OverlayPath {
  network: NetworkInfo;
  vni?: number;
  fromHost: string;
  toHost: string;
  /** Each host's Swarm node address: VXLAN goes from one to the other. */
  fromUnderlay?: string;
  toUnderlay?: string;
}

/** The container's own interface on a network, inside its namespace (where an overlay endpoint is seen). */
export const netnsHop = (name: string, host: string, e: EndpointInfo, role: 'source' | 'target'): TraceHop => {
  const ifname = e.ifname ?? 'eth0';
  return { interface: netnsInterfaceName(ifname, name), role, label: `${name}'s ${ifname} on ${host}` };
};

/**
 * `trace A B` with A and B on different Docker hosts (names from several daemons): the overlay
 * network they share and the underlay between their hosts. Hops are A's interface, then what the
 * run finds of the underlay on this machine, then B's interface; the run fills in the middle.
 */
export function planOverlayTrace(t: Topology, fromName: string, toName: string, underlays: ReadonlyMap<string, string>): { plan: TracePlan; overlay?: OverlayPath } {
  const from = container(t, fromName);
  const to = container(t, toName);
  const eps = (id: string) => t.endpoints.filter((e) => e.containerId === id && e.ipv4);
  const a = eps(namespaceOwnerId(from));
  const b = eps(namespaceOwnerId(to));
  const overlayOf = (e: EndpointInfo) => t.networks.find((n) => n.id === e.networkId && n.driver === 'overlay');
  const pair = a.flatMap((ea) => b.filter((eb) => eb.networkId === ea.networkId && overlayOf(ea)).map((eb) => [ea, eb] as const))[0];
  const fromHost = a[0]?.host ?? '?';
  const toHost = b[0]?.host ?? '?';
  const base: TracePlan = {
    from, to, toKind: 'container', toName: `${to.name}@${toHost}`, hops: [], bridges: [], loopback: false, blockers: [], notes: [],
    path: `${from.name} is on ${fromHost}, ${to.name} on ${toHost}`,
  };
  if (from.state !== 'running') base.blockers.push(`${from.name} is not running (${from.state})`);
  if (to.state !== 'running') base.blockers.push(`${to.name} is not running (${to.state}), so it has no address to answer on`);
  if (!pair) {
    if (!base.blockers.length) base.blockers.push(`${from.name}@${fromHost} and ${to.name}@${toHost} share no overlay network`);
    return { plan: base };
  }
  const [ea, eb] = pair;
  const network = overlayOf(ea)!;
  const overlay: OverlayPath = {
    network, vni: network.vni?.[0], fromHost: ea.host ?? fromHost, toHost: eb.host ?? toHost,
    fromUnderlay: underlays.get(ea.host ?? ''), toUnderlay: underlays.get(eb.host ?? ''),
  };
  if (overlay.fromHost === overlay.toHost) base.blockers.push(`${from.name} and ${to.name} are both on ${overlay.fromHost}: trace them without -H`);
  const vxlan = `VXLAN ${overlay.vni ?? '?'} between ${overlay.fromUnderlay ?? '?'} (${overlay.fromHost}) and ${overlay.toUnderlay ?? '?'} (${overlay.toHost})`;
  return {
    overlay,
    plan: {
      ...base, fromIp: ea.ipv4, toIp: eb.ipv4, toMac: eb.mac, nextHopIp: eb.ipv4, fromNetwork: network, toNetwork: network,
      hops: [netnsHop(from.name, overlay.fromHost, ea, 'source'), netnsHop(to.name, overlay.toHost, eb, 'target')],
      path: `${from.name} on ${overlay.fromHost} and ${to.name} on ${overlay.toHost} share overlay ${network.name}: ${vxlan}`,
    },
  };
}
