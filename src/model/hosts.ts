import type { NetworkInfo } from './topology.js';

/**
 * Several Docker hosts at one moment, as `topology -H A -H B` shows them: each host with what its
 * daemon says (containers, networks, its Swarm node address on the underlay), and each overlay
 * network with the hosts it spans. Only what the daemons answer: a remote host's interfaces and
 * bridges are not read (this machine's are not theirs).
 */
export interface HostsTopology {
  /** ISO 8601 time the daemons were asked. */
  capturedAt: string;
  hosts: HostView[];
  overlays: OverlayView[];
}

export interface HostView {
  /** The host's name on every name it gives (the -H URL's host, the socket's file name, the context). */
  name: string;
  /** Where the daemon was reached (socket path or host:port). */
  endpoint: string;
  /** The daemon's own hostname (`docker info` Name). */
  hostname?: string;
  dockerVersion?: string;
  /** This host as a Swarm node: its id, role and the address VXLAN leaves and arrives on. */
  swarm?: { nodeId: string; role: 'manager' | 'worker'; underlay: string };
  /** The daemon did not answer: the other hosts are still shown. */
  error?: string;
  networks: NetworkInfo[];
  containers: HostContainer[];
}

export interface HostContainer {
  id: string;
  name: string;
  state: string;
  endpoints: Array<{ network: string; networkId: string; ipv4?: string; mac?: string }>;
}

/** One overlay network across the hosts that have it. */
export interface OverlayView {
  id: string;
  name: string;
  vni: number[];
  subnet?: string;
  /** Each host the network is on, with its underlay address and its containers there. */
  hosts: Array<{ host: string; underlay?: string; containers: Array<{ name: string; ipv4?: string; mac?: string }> }>;
  /** The underlay addresses Docker's gossip lists as the network's peers (`docker network inspect` Peers). */
  peers: Array<{ name: string; ip: string }>;
}
