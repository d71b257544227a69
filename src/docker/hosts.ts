import type Docker from 'dockerode';
import type { HostContainer, HostView, HostsTopology, OverlayView } from '../model/hosts.js';
import { DockerClient, dockerode } from './client.js';
import { networkInfoOf } from './container-view.js';
import type { Daemon } from './daemons.js';
import { DockerError } from './errors.js';

/**
 * Asks every daemon at once what it runs (`docker info`, the network list, the container list,
 * and an inspect of each overlay network for its peers): four calls per host plus one per overlay,
 * none per container. A daemon that does not answer is a host with an `error`, not the end.
 */
export async function loadHosts(daemons: readonly Daemon[]): Promise<HostsTopology> {
  const hosts = await Promise.all(daemons.map((d) => loadHost(d)));
  return { capturedAt: new Date().toISOString(), hosts: hosts.map((h) => h.view), overlays: overlaysOf(hosts) };
}

interface Loaded {
  view: HostView;
  peers: Map<string, Array<{ name: string; ip: string }>>;
}

async function loadHost(d: Daemon): Promise<Loaded> {
  const client = new DockerClient(new (dockerode())(d.options));
  const view: HostView = { name: d.name, endpoint: client.where, networks: [], containers: [] };
  const peers = new Map<string, Array<{ name: string; ip: string }>>();
  try {
    const [info, networks, list] = await Promise.all([client.info(), client.listNetworks(), client.listContainers(true)]);
    view.hostname = info.Name;
    view.dockerVersion = info.ServerVersion;
    const sw = info.Swarm;
    if (sw?.LocalNodeState === 'active' && sw.NodeID && sw.NodeAddr) {
      view.swarm = { nodeId: sw.NodeID, role: sw.ControlAvailable ? 'manager' : 'worker', underlay: sw.NodeAddr };
    }
    view.networks = networks.map(networkInfoOf).sort((a, b) => a.name.localeCompare(b.name));
    view.containers = list.map(containerOf).sort((a, b) => a.name.localeCompare(b.name));
    for (const n of view.networks.filter((x) => x.driver === 'overlay')) {
      const inspect = await client.inspectNetwork(n.id);
      peers.set(n.id, (inspect.Peers ?? []).map((p) => ({ name: p.Name, ip: p.IP })));
    }
  } catch (err) {
    if (!(err instanceof DockerError)) throw err;
    view.error = err.message;
  }
  return { view, peers };
}

function containerOf(c: Docker.ContainerInfo): HostContainer {
  return {
    id: c.Id,
    name: (c.Names[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''),
    state: c.State,
    endpoints: Object.entries(c.NetworkSettings?.Networks ?? {}).map(([network, ep]) => ({
      network,
      networkId: ep.NetworkID,
      ipv4: ep.IPAddress || undefined,
      mac: ep.MacAddress ? ep.MacAddress.toLowerCase() : undefined,
    })),
  };
}

/** Overlay networks by id (one network, the same id on every node), each host with its containers there. */
function overlaysOf(loaded: readonly Loaded[]): OverlayView[] {
  const byId = new Map<string, OverlayView>();
  for (const { view: h, peers } of loaded) {
    for (const n of h.networks.filter((x) => x.driver === 'overlay')) {
      const o = byId.get(n.id) ?? { id: n.id, name: n.name, vni: n.vni ?? [], subnet: n.subnet, hosts: [], peers: [] };
      byId.set(n.id, o);
      const containers = h.containers.flatMap((c) =>
        c.endpoints.filter((e) => e.networkId === n.id).map((e) => ({ name: c.name, ipv4: e.ipv4, mac: e.mac })));
      o.hosts.push({ host: h.name, underlay: h.swarm?.underlay, containers });
      for (const p of peers.get(n.id) ?? []) if (!o.peers.some((q) => q.ip === p.ip)) o.peers.push(p);
      if (!o.vni.length && n.vni) o.vni = n.vni;
    }
  }
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}
