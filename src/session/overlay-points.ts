import type { DockerClient } from '../docker/client.js';
import { VXLAN_PORT } from '../decode/index.js';
import { readBridgePorts, readHostInterfaces, routeDevice } from '../host/host-net.js';
import { isContainerProcess } from '../host/netns.js';
import type { ContainerInfo } from '../model/topology.js';

/**
 * Where an overlay network's traffic can be seen from this machine, for `trace` across hosts and
 * for a capture target naming an overlay: inside each container's namespace whose process runs
 * here, and on the interfaces of this machine that the VXLAN between the hosts' Swarm node
 * addresses crosses.
 */

/** Each daemon's Swarm node address (VXLAN goes between these), by host name; a daemon not in a Swarm has none. */
export async function swarmNodeAddresses(clients: ReadonlyMap<string, DockerClient>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await Promise.all([...clients].map(async ([host, c]) => {
    const addr = (await c.info().catch(() => undefined))?.Swarm?.NodeAddr;
    if (addr) out.set(host, addr);
  }));
  return out;
}

/** A container whose process runs on this machine, so its namespace can be entered (a remote daemon's pid is some other process here). */
export async function runsHere(c: ContainerInfo): Promise<boolean> {
  return c.pid !== undefined && c.pid > 0 && (await isContainerProcess(c.pid, c.id));
}

/** How a container's interface inside its namespace is named on a line and in a file: `eth0@bs-alpha`. */
export const netnsInterfaceName = (ifname: string, container: string): string => `${ifname}@${container}`;

export interface Underlay {
  /** Every interface to capture on. */
  all: string[];
  /** The hosts are all behind this one bridge of this machine: its ports, captured too, tell them apart. */
  bridge?: string;
}

/** The interfaces of this machine that VXLAN between these node addresses crosses: the routes' devices, and a bridge's ports. */
export async function underlayInterfaces(addresses: readonly string[]): Promise<Underlay> {
  if (addresses.length === 0) return { all: [] };
  const routes = await Promise.all(addresses.map(routeDevice));
  const ifs = await readHostInterfaces();
  const devs = [...new Set(routes)].filter((d): d is string => d !== undefined && d !== 'lo' && ifs.some((i) => i.name === d && i.up));
  const only = devs.length === 1 ? ifs.find((i) => i.name === devs[0]) : undefined;
  if (only?.kind === 'bridge') return { all: [only.name, ...(await readBridgePorts(only.name))], bridge: only.name };
  return { all: devs };
}

/**
 * BPF for VXLAN between these node addresses (either way), of these VNIs when given: the VNI is
 * the three bytes after the VXLAN flags and reserved bytes, i.e. at UDP payload offset 4 (udp[12]).
 */
export function vxlanFilter(addresses: readonly string[], vnis: readonly number[] = []): string {
  const parts = [`udp port ${VXLAN_PORT}`];
  const side = (dir: 'src' | 'dst') => `(${addresses.map((a) => `${dir} host ${a}`).join(' or ')})`;
  // One host alone: its VXLAN to any peer; several: only what goes between them.
  if (addresses.length === 1) parts.push(`host ${addresses[0]}`);
  else if (addresses.length > 1) parts.push(side('src'), side('dst'));
  if (vnis.length > 0) parts.push(`(${vnis.map((v) => `(udp[12:4] & 0xffffff00) = ${v * 256}`).join(' or ')})`);
  return parts.join(' and ');
}
