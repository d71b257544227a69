import { hostname } from 'node:os';
import type Docker from 'dockerode';
import { TOPOLOGY_VERSION, type BridgeInfo, type EndpointInfo, type HostInterface, type NetworkInfo, type Topology } from '../model/topology.js';
import { dockerClient, type DockerClient } from './client.js';
import { containerInfoOf, endpointsOf, labelSharers, networkInfoOf } from './container-view.js';
import { readBridgePorts, readHostInterfaces, readLearnedMacs, readRoutes } from '../host/host-net.js';

/**
 * The whole picture the seed assembled by hand (docker inspect, ifconfig, brctl, netstat, bridge
 * fdb), in one snapshot. Docker is asked once per network list and once per container.
 */
export async function loadTopology(opts: { client?: DockerClient } = {}): Promise<Topology> {
  const client = opts.client ?? dockerClient();
  const [version, rawNetworks, list, interfaces, routes, routes6] = await Promise.all([
    client.version(),
    client.listNetworks(),
    client.listContainers(true),
    readHostInterfaces(),
    readRoutes(),
    readRoutes('-6'),
  ]);
  const networks = new Map(rawNetworks.map((n) => [n.Id, networkInfoOf(n)]));
  const inspects: Docker.ContainerInspectInfo[] = [];
  for (const c of list) inspects.push(await client.inspectContainer(c.Id));

  const refs = new Map<string, { id: string; name: string }>();
  for (const i of inspects) {
    const ref = { id: i.Id, name: i.Name.replace(/^\//, '') };
    refs.set(i.Id, ref);
    refs.set(ref.name, ref);
  }
  const lookup = (r: string) => refs.get(r) ?? [...refs.values()].find((x) => x.id.startsWith(r));
  const containers = inspects.map((i) => containerInfoOf(i, lookup));
  labelSharers(containers);

  const hostByIndex = new Map(interfaces.map((i) => [i.ifindex, i]));
  fillGateways([...networks.values()], interfaces);
  const endpoints: EndpointInfo[] = [];
  for (const i of inspects) endpoints.push(...(await endpointsOf(i, networks, hostByIndex)));

  return {
    version: TOPOLOGY_VERSION,
    capturedAt: new Date().toISOString(),
    hostname: hostname(),
    dockerVersion: version.Version,
    interfaces,
    bridges: await bridgesOf(interfaces, [...networks.values()], endpoints),
    networks: [...networks.values()].sort((a, b) => a.name.localeCompare(b.name)),
    containers: containers.sort((a, b) => a.name.localeCompare(b.name)),
    endpoints: endpoints.sort((a, b) => a.container.localeCompare(b.container) || a.network.localeCompare(b.network)),
    routes,
    routes6,
  };
}

async function bridgesOf(
  interfaces: HostInterface[],
  networks: Array<{ name: string; bridge?: string }>,
  endpoints: EndpointInfo[],
): Promise<BridgeInfo[]> {
  const byName = new Map(interfaces.map((i) => [i.name, i]));
  const byMac = new Map(endpoints.filter((e) => e.mac).map((e) => [e.mac, e.container]));
  const byVeth = new Map(endpoints.filter((e) => e.hostVeth).map((e) => [e.hostVeth, e.container]));
  const bridges: BridgeInfo[] = [];
  for (const br of interfaces.filter((i) => i.kind === 'bridge')) {
    const [portNames, learned] = await Promise.all([readBridgePorts(br.name), readLearnedMacs(br.name)]);
    bridges.push({
      name: br.name,
      ifindex: br.ifindex,
      mac: br.mac,
      ipv4: br.ipv4,
      network: networks.find((n) => n.bridge === br.name)?.name,
      ports: portNames.map((p) => ({
        name: p,
        ifindex: byName.get(p)?.ifindex ?? 0,
        mac: byName.get(p)?.mac,
        container: byVeth.get(p),
        learned: learned.filter((l) => l.port === p).map((l) => ({ mac: l.mac, container: byMac.get(l.mac) })),
      })),
    });
  }
  return bridges.sort((a, b) => a.name.localeCompare(b.name));
}

/** The default network's IPAM often omits the gateway: it is the bridge's own address. */
function fillGateways(networks: NetworkInfo[], interfaces: HostInterface[]): void {
  for (const n of networks) {
    if (n.gateway || !n.bridge) continue;
    n.gateway = interfaces.find((i) => i.name === n.bridge)?.ipv4[0]?.split('/')[0];
  }
}
