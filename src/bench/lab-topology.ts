import { execFileSync } from 'node:child_process';
import { TOPOLOGY_VERSION, type EndpointInfo, type Topology } from '../model/topology.js';
import type { NetnsLab } from './netns-lab.js';

/**
 * The bench lab described as if its two namespaces were containers, so the "names" case runs the
 * same TopologyResolver lookups a Docker capture does.
 */
export function benchLabTopology(lab: NetnsLab): Topology {
  const mac = (ns: string) =>
    (JSON.parse(execFileSync('ip', ['-n', ns, '-j', 'link', 'show', 'eth0'], { encoding: 'utf8' })) as { address: string }[])[0].address;
  const endpoint = (ns: string, ip: string, veth: string): EndpointInfo => ({
    containerId: ns,
    container: ns,
    network: 'bench',
    networkId: 'bench',
    bridge: lab.bridge,
    ifname: 'eth0',
    mac: mac(ns),
    ipv4: ip,
    prefixLen: 24,
    hostVeth: veth,
  });
  const endpoints = [endpoint(lab.nsA, lab.ipA, lab.vethA), endpoint(lab.nsB, lab.ipB, lab.vethB)];
  return {
    version: TOPOLOGY_VERSION,
    capturedAt: new Date().toISOString(),
    interfaces: [],
    bridges: [],
    networks: [{ id: 'bench', name: 'bench', driver: 'bridge', bridge: lab.bridge }],
    containers: endpoints.map((e) => ({
      id: e.containerId, name: e.container, label: e.container, image: 'netns', state: 'running',
      networkMode: { kind: 'bridge' as const }, sharedWith: [],
    })),
    endpoints,
    routes: [],
  };
}
