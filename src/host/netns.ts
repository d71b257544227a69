import { readFile } from 'node:fs/promises';
import { hasProgram, runHost, type HostRun } from './run.js';

/**
 * Commands run inside another process's network namespace from the host (nsenter, as root): the
 * host's own programs work there, so nothing is needed inside the namespace, neither a binary
 * nor a capability such as NET_ADMIN.
 */
const netnsPath = (pid: number): string => `/proc/${pid}/ns/net`;

export function inNetns(pid: number, argv: readonly string[], timeoutMs?: number): Promise<HostRun> {
  return runHost(['nsenter', `--net=${netnsPath(pid)}`, ...argv], timeoutMs);
}

/** Why this process cannot enter a namespace to run `program`, or undefined when it can. */
export async function netnsUnavailable(program: string): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'entering a network namespace needs root';
  if (!(await hasProgram('nsenter'))) return 'nsenter is not installed';
  if (!(await hasProgram(program))) return `${program} is not installed on the host`;
  return undefined;
}

/** Forgets the namespace's neighbour entry for `ip`, so the next packet to it starts with ARP. */
export function forgetNeighbour(pid: number, ip: string): Promise<HostRun> {
  return inNetns(pid, ['ip', 'neigh', 'flush', 'to', ip]);
}

/**
 * Whether process `pid` on this machine is container `id`'s: a daemon reached over the network
 * reports pids of its own machine, which here may be any process. Docker puts the container's id
 * in the path of each of its cgroups.
 */
export async function isContainerProcess(pid: number, id: string): Promise<boolean> {
  try {
    return (await readFile(`/proc/${pid}/cgroup`, 'utf8')).includes(id);
  } catch {
    return false;
  }
}

/** The interface of `pid`'s namespace that holds IPv4 address `ip` (`ip -j addr` there), or undefined. */
export async function interfaceWithAddress(pid: number, ip: string): Promise<string | undefined> {
  const r = await inNetns(pid, ['ip', '-j', '-4', 'addr', 'show']);
  if (r.code !== 0) return undefined;
  try {
    const links = JSON.parse(r.stdout || '[]') as Array<{ ifname: string; addr_info?: Array<{ local?: string }> }>;
    return links.find((l) => l.addr_info?.some((a) => a.local === ip))?.ifname;
  } catch {
    return undefined;
  }
}
