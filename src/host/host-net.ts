import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { HostInterface, RouteInfo } from '../model/topology.js';

/**
 * What the host kernel says about its links, read through iproute2's JSON output (netlink) and
 * sysfs. Docker's API knows none of this: bridges' ports, veth peers and learned MACs live here.
 */
const run = promisify(execFile);

async function ipJson<T>(args: string[]): Promise<T> {
  const { stdout } = await run(args[0], args.slice(1), { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout || '[]') as T;
}

interface IpAddr {
  ifindex: number;
  ifname: string;
  address?: string;
  link_index?: number;
  master?: string;
  flags?: string[];
  linkinfo?: { info_kind?: string };
  addr_info?: Array<{ family: string; local: string; prefixlen: number; scope?: string }>;
}

export async function readHostInterfaces(): Promise<HostInterface[]> {
  const links = await ipJson<IpAddr[]>(['ip', '-j', '-d', 'addr', 'show']);
  return links.map((l) => ({
    name: l.ifname,
    ifindex: l.ifindex,
    mac: l.address,
    kind: l.linkinfo?.info_kind,
    master: l.master,
    peerIfIndex: l.link_index,
    ipv4: (l.addr_info ?? []).filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`),
    // Link-local addresses are left out: they mean nothing off their own link (a container cannot reach them).
    ipv6: (l.addr_info ?? []).filter((a) => a.family === 'inet6' && a.scope === 'global').map((a) => `${a.local}/${a.prefixlen}`),
    up: (l.flags ?? []).includes('UP'),
  }));
}

/** Ports of a bridge as the kernel lists them in /sys/class/net/<br>/brif. */
export async function readBridgePorts(bridge: string): Promise<string[]> {
  try {
    return (await readdir(`/sys/class/net/${bridge}/brif`)).sort();
  } catch {
    return [];
  }
}

export interface FdbEntry {
  mac: string;
  port: string;
}

/** MACs the bridge learned (not permanent, not the ports' own "self" entries). */
export async function readLearnedMacs(bridge: string): Promise<FdbEntry[]> {
  interface Raw {
    mac: string;
    ifname: string;
    flags?: string[];
    state?: string;
    master?: string;
  }
  let raw: Raw[];
  try {
    raw = await ipJson<Raw[]>(['bridge', '-j', 'fdb', 'show', 'br', bridge]);
  } catch {
    return [];
  }
  return raw
    .filter((e) => e.state !== 'permanent' && !(e.flags ?? []).includes('self') && e.ifname !== bridge)
    .map((e) => ({ mac: e.mac.toLowerCase(), port: e.ifname }));
}

export async function readRoutes(family: '-4' | '-6' = '-4'): Promise<RouteInfo[]> {
  interface Raw {
    dst: string;
    dev?: string;
    gateway?: string;
    prefsrc?: string;
  }
  try {
    const raw = await ipJson<Raw[]>(['ip', '-j', family, 'route', 'show']);
    return raw.map((r) => ({ dst: r.dst, dev: r.dev, gateway: r.gateway, prefsrc: r.prefsrc }));
  } catch {
    return [];
  }
}

export interface NetnsLink {
  ifname: string;
  ifindex: number;
  /** For a veth: the peer's ifindex, in the host namespace for Docker's bridge endpoints. */
  iflink: number;
  mac: string;
  /** Link-local IPv6 addresses of the interface (fe80::/10, 16 bytes each), as the kernel assigned them. */
  linkLocal: Uint8Array[];
}

/**
 * The links inside a container's network namespace, read from the host through
 * /proc/<pid>/root/sys/class/net (the container's own sysfs mount shows its namespace). Needs
 * root or the same user; returns [] when that is not readable (then veths stay unknown).
 */
export async function readNetnsLinks(pid: number): Promise<NetnsLink[]> {
  const base = `/proc/${pid}/root/sys/class/net`;
  let names: string[];
  try {
    names = await readdir(base);
  } catch {
    return [];
  }
  const inet6 = await readIfInet6(pid);
  const links: NetnsLink[] = [];
  for (const ifname of names) {
    if (ifname === 'lo') continue;
    try {
      const [ifindex, iflink, mac] = await Promise.all(
        ['ifindex', 'iflink', 'address'].map((f) => readFile(`${base}/${ifname}/${f}`, 'utf8')),
      );
      const linkLocal = inet6.filter((a) => a.ifname === ifname && a.address[0] === 0xfe && (a.address[1] & 0xc0) === 0x80).map((a) => a.address);
      links.push({ ifname, ifindex: Number(ifindex), iflink: Number(iflink), mac: mac.trim().toLowerCase(), linkLocal });
    } catch {
      // The interface vanished while we read it (container stopping): skip it.
    }
  }
  return links;
}

/**
 * IPv6 addresses of a process's network namespace: /proc/<pid>/net/if_inet6 lists them as 32 hex
 * digits, ifindex, prefix length, scope, flags, name. [] when unreadable or IPv6 is off there.
 */
async function readIfInet6(pid: number): Promise<Array<{ ifname: string; address: Uint8Array }>> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/net/if_inet6`, 'utf8');
  } catch {
    return [];
  }
  const out: Array<{ ifname: string; address: Uint8Array }> = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 6 || !/^[0-9a-f]{32}$/.test(f[0])) continue;
    out.push({ ifname: f[5], address: Uint8Array.from(Buffer.from(f[0], 'hex')) });
  }
  return out;
}

/** The interface this machine would send to `ip` on (`ip route get`), or undefined when it has no route. */
export async function routeDevice(ip: string): Promise<string | undefined> {
  try {
    return (await ipJson<Array<{ dev?: string }>>(['ip', '-j', 'route', 'get', ip]))[0]?.dev;
  } catch {
    return undefined;
  }
}
