import type Docker from 'dockerode';
import { composeOf, displayLabel } from '../model/identity.js';
import type { ContainerInfo, EndpointInfo, HostInterface, NetworkInfo, NetworkMode } from '../model/topology.js';
import type { NetworkInspect } from './client.js';
import { linkLocalOf } from '../annotate/address.js';
import { formatIpv6 } from '../decode/index.js';
import { readNetnsLinks } from '../host/host-net.js';

/** Linux bridge of a Docker network: the name option, docker0 for `bridge`, else br-<12 hex>. */
function bridgeNameOf(n: Pick<NetworkInspect, 'Id' | 'Name' | 'Driver' | 'Options'>): string | undefined {
  if (n.Driver !== 'bridge') return undefined;
  return n.Options?.['com.docker.network.bridge.name'] ?? (n.Name === 'bridge' ? 'docker0' : `br-${n.Id.slice(0, 12)}`);
}

export function networkInfoOf(n: NetworkInspect): NetworkInfo {
  const ipam = (n.IPAM?.Config ?? []).find((c) => c.Subnet && !c.Subnet.includes(':'));
  const ipam6 = (n.IPAM?.Config ?? []).find((c) => c.Subnet?.includes(':'));
  const info: NetworkInfo = {
    id: n.Id, name: n.Name, driver: n.Driver, subnet: ipam?.Subnet, gateway: ipam?.Gateway,
    subnet6: ipam6?.Subnet, gateway6: ipam6?.Gateway, bridge: bridgeNameOf(n),
  };
  const vni = vnisOf(n.Options?.[VXLANID_LIST]);
  if (vni.length) info.vni = vni;
  return info;
}

/** Docker's overlay driver option: the network's VNIs, comma separated, one per subnet ("4097"). */
const VXLANID_LIST = 'com.docker.network.driver.overlay.vxlanid_list';

function vnisOf(list: string | undefined): number[] {
  return (list ?? '').split(',').map((v) => Number(v.trim())).filter((v) => Number.isInteger(v) && v > 0 && v < 2 ** 24);
}

function networkModeOf(raw: string | undefined, byIdOrName: (ref: string) => { id: string; name: string } | undefined): NetworkMode {
  if (raw === 'host') return { kind: 'host' };
  if (raw === 'none') return { kind: 'none' };
  if (raw?.startsWith('container:')) {
    const ref = raw.slice('container:'.length);
    const target = byIdOrName(ref);
    return { kind: 'container', container: target?.name ?? ref.slice(0, 12), containerId: target?.id ?? ref };
  }
  return { kind: 'bridge' };
}

const nameOf = (inspect: Docker.ContainerInspectInfo): string => inspect.Name.replace(/^\//, '');

/** One container as the snapshot describes it; `label` is fixed up once sharers are known. */
export function containerInfoOf(
  inspect: Docker.ContainerInspectInfo,
  byIdOrName: (ref: string) => { id: string; name: string } | undefined,
): ContainerInfo {
  const name = nameOf(inspect);
  return {
    id: inspect.Id,
    name,
    label: name,
    image: inspect.Config.Image,
    state: inspect.State.Status,
    pid: inspect.State.Pid > 0 ? inspect.State.Pid : undefined,
    networkMode: networkModeOf(inspect.HostConfig.NetworkMode, byIdOrName),
    sharedWith: [],
    compose: composeOf(inspect.Config.Labels),
  };
}

/** Containers that joined another's namespace are named with it: "alpha (+sidecar)". */
export function labelSharers(containers: ContainerInfo[]): void {
  const byId = new Map(containers.map((c) => [c.id, c]));
  for (const c of containers) c.sharedWith = [];
  for (const c of containers) {
    // A stopped sidecar shares nothing until it starts again.
    if (c.networkMode.kind !== 'container' || c.state !== 'running') continue;
    byId.get(c.networkMode.containerId)?.sharedWith.push(c.name);
  }
  for (const c of containers) {
    c.sharedWith.sort();
    c.label = displayLabel(c.name, c.sharedWith);
  }
}

/**
 * One endpoint per network the container is on. The host veth is found from the container-side
 * interface (matched by MAC) whose iflink is the host veth's ifindex; when the host veth also
 * reports a peer ifindex it must point back, else the match is dropped rather than guessed.
 */
export async function endpointsOf(
  inspect: Docker.ContainerInspectInfo,
  networks: Map<string, NetworkInfo>,
  hostByIndex: Map<number, HostInterface>,
): Promise<EndpointInfo[]> {
  const attached = Object.entries(inspect.NetworkSettings?.Networks ?? {});
  if (attached.length === 0) return [];
  const links = inspect.State.Pid > 0 ? await readNetnsLinks(inspect.State.Pid) : [];
  return attached.map(([netName, ep]) => {
    const net = networks.get(ep.NetworkID) ?? [...networks.values()].find((n) => n.name === netName);
    const mac = ep.MacAddress ? ep.MacAddress.toLowerCase() : undefined;
    const link = mac ? links.find((l) => l.mac === mac) : undefined;
    // An overlay's veth peer lives in the overlay's own namespace: its iflink is no host index.
    const host = link && net?.driver !== 'overlay' ? hostByIndex.get(link.iflink) : undefined;
    const paired = host && (host.peerIfIndex === undefined || host.peerIfIndex === link?.ifindex);
    return {
      containerId: inspect.Id,
      container: nameOf(inspect),
      network: netName,
      networkId: ep.NetworkID,
      bridge: net?.bridge,
      ifname: link?.ifname,
      mac,
      ipv4: ep.IPAddress || undefined,
      prefixLen: ep.IPPrefixLen || undefined,
      ipv6: ipv6Of(ep.GlobalIPv6Address, link?.linkLocal.map((b) => formatIpv6(b, 0)), net?.subnet6 && mac ? linkLocalOf(mac) : undefined),
      aliases: aliasesOf(ep.Aliases, inspect.Id),
      hostVeth: paired ? host.name : undefined,
      hostIfIndex: paired ? host.ifindex : undefined,
    };
  });
}

/**
 * Docker's global address first, then the link-local ones the interface has; when the namespace
 * was unreadable, the one the kernel derives from the MAC (only on a dual-stack network).
 */
function ipv6Of(global: string | undefined, linkLocal: string[] | undefined, derived: string | undefined): string[] | undefined {
  const out = [...(global ? [global] : []), ...(linkLocal?.length ? linkLocal : derived ? [derived] : [])];
  return out.length ? out : undefined;
}

/** Docker lists the short id among a user network's aliases; it is a name form already (id prefix). */
function aliasesOf(aliases: string[] | null | undefined, id: string): string[] | undefined {
  const own = (aliases ?? []).filter((a) => !id.startsWith(a));
  return own.length ? own : undefined;
}
