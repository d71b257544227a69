import type { BridgeInfo, EndpointInfo, HostInterface, RouteInfo, Topology } from '../../model/topology.js';

/**
 * The seed's host picture as data shared by the renderers: host NICs, each bridge with its
 * network, routes and ports, each port with the container endpoint on its other end.
 */
export interface HostView {
  nics: HostInterface[];
  defaultRoute?: RouteInfo;
  bridges: BridgeView[];
  /** Containers that hang off no bridge: host, none, or another container's namespace. */
  loose: Array<{ label: string; mode: string }>;
  /** Containers that exist but do not run (created, exited, paused...): a name that left stays in view. */
  stopped: Array<{ name: string; state: string; networks: string[] }>;
}

export interface BridgeView {
  bridge: BridgeInfo;
  subnet?: string;
  gateway?: string;
  subnet6?: string;
  gateway6?: string;
  /** IPv4 routes, then IPv6 ones, through this bridge. */
  routes: RouteInfo[];
  ports: Array<{ port: BridgeInfo['ports'][number]; endpoint?: EndpointInfo }>;
}

export function hostView(t: Topology): HostView {
  const nics = t.interfaces.filter((i) => i.name !== 'lo' && i.kind !== 'bridge' && i.kind !== 'veth' && i.ipv4.length > 0);
  const bridges = t.bridges
    .filter((b) => b.network || b.ports.length > 0)
    .map((bridge) => {
      const net = t.networks.find((n) => n.bridge === bridge.name);
      return {
        bridge,
        subnet: net?.subnet,
        gateway: net?.gateway,
        subnet6: net?.subnet6,
        gateway6: net?.gateway6,
        routes: [...t.routes, ...(t.routes6 ?? [])].filter((r) => r.dev === bridge.name),
        ports: bridge.ports.map((port) => ({ port, endpoint: t.endpoints.find((e) => e.hostVeth === port.name) })),
      };
    });
  const loose = t.containers
    .filter((c) => c.networkMode.kind !== 'bridge' && c.state === 'running')
    .map((c) => ({
      label: c.label,
      mode: c.networkMode.kind === 'container' ? `shares ${c.networkMode.container}'s network` : `${c.networkMode.kind} network`,
    }));
  const stopped = t.containers
    .filter((c) => c.state !== 'running')
    .map((c) => ({ name: c.name, state: c.state, networks: t.endpoints.filter((e) => e.containerId === c.id).map((e) => e.network) }));
  return { nics, defaultRoute: t.routes.find((r) => r.dst === 'default'), bridges, loose, stopped };
}
