import type { ContainerInfo, EndpointInfo, HostInterface, NetworkInfo, Topology } from '../model/topology.js';
import { ipv4ToNumber } from '../annotate/address.js';
import { closeMatches } from '../close-matches.js';
import { BridgescopeError } from '../errors.js';
import { AmbiguousNameError, findContainers, nameForms, namespaceOwnerId } from '../model/identity.js';
import { sanitize } from '../present/sanitize.js';

/** One interface the trace captures on, in the order a request crosses them. */
export interface TraceHop {
  interface: string;
  role: 'source' | 'bridge' | 'underlay' | 'target';
  /** How the verdict names it: "alpha-web's veth848035b", "br-1a2b3c4d5e6f (shopnet)". */
  label: string;
}

/** What B is: a container, an address (owned or not), its gateway, or the host itself. */
export type TraceTargetKind = 'container' | 'ip' | 'gateway' | 'host';

/** What `trace A B` will do, decided from the topology before any packet is sent. */
export interface TracePlan {
  /** 6: `trace -6`, ping -6 with Neighbor Discovery where ARP was; absent for IPv4. */
  family?: 6;
  from: ContainerInfo;
  /** The container B names or the address's owner; absent for the gateway, the host and an address nobody owns. */
  to?: ContainerInfo;
  toKind: TraceTargetKind;
  /** How B is named in the verdict. */
  toName: string;
  /** A's address on the path, and the address A pings. */
  fromIp?: string;
  toIp?: string;
  /** The MAC Docker gave the address A pings, when a container owns it. */
  toMac?: string;
  /** The address A must resolve with ARP (NDP under -6): B on a shared subnet, else A's gateway. */
  nextHopIp?: string;
  fromNetwork?: NetworkInfo;
  toNetwork?: NetworkInfo;
  /** A's host veth, every bridge on the way, B's host veth. */
  hops: TraceHop[];
  bridges: string[];
  /** A and B share one network namespace: the ping goes over loopback, no bridge sees it. */
  loopback: boolean;
  /** Why the plan is what it is, in words for the user. */
  path: string;
  /** Reasons the ping cannot work, known before trying (a stopped container, no address). */
  blockers: string[];
  /** What the topology says about the target that the verdict will need (nobody owns it, another subnet). */
  notes: PlanNote[];
}

export interface PlanNote {
  code: 'no-owner' | 'other-subnet' | 'no-shared-network';
  text: string;
}

export class TraceTargetError extends BridgescopeError {
  constructor(name: string, suggestions: string[]) {
    const hint = suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : '';
    super('BS_TRACE_UNKNOWN_CONTAINER', `${name} is not a container${hint}`);
  }
}

/** The container a trace end names, in any name form (model/identity.ts); one, or a one-line error. */
export function container(t: Topology, name: string): ContainerInfo {
  const found = findContainers(name, t.containers, t.endpoints);
  if (found.kind === 'ambiguous') throw new AmbiguousNameError(sanitize(name), found.candidates.map(sanitize));
  if (found.kind === 'none') {
    throw new TraceTargetError(sanitize(name), closeMatches(name, [...new Set(t.containers.flatMap((c) => nameForms(c, t.endpoints)))]).map(sanitize));
  }
  const [first, ...rest] = found.containers;
  if (rest.length) throw new AmbiguousNameError(sanitize(name), found.containers.map((c) => sanitize(c.name)).sort());
  return first;
}

export function endpointsOf(t: Topology, c: ContainerInfo): EndpointInfo[] {
  const owner = namespaceOwnerId(c);
  return t.endpoints.filter((e) => e.containerId === owner);
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function inSubnet(ip: string, subnet: string | undefined): boolean {
  if (!subnet) return false;
  const [base, len] = subnet.split('/');
  const bits = Number(len);
  if (!IPV4.test(base) || !(bits >= 0 && bits <= 32)) return false;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return ((ipv4ToNumber(ip) & mask) >>> 0) === ((ipv4ToNumber(base) & mask) >>> 0);
}

export const vethHop = (c: ContainerInfo, e: EndpointInfo, role: 'source' | 'target'): TraceHop | undefined =>
  e.hostVeth ? { interface: e.hostVeth, role, label: `${c.name}'s ${e.hostVeth}` } : undefined;

export const bridgeHop = (n: NetworkInfo): TraceHop => ({ interface: n.bridge!, role: 'bridge', label: `${n.bridge} (${n.name})` });

export const networkOf = (t: Topology, e: EndpointInfo | undefined) => (e ? t.networks.find((n) => n.id === e.networkId) : undefined);

/**
 * Decides the path: A's veth, A's bridge, B's bridge when it is another, and B's veth. B is a
 * container in any name form, an IPv4 address, `gateway` (A's bridge) or `host` (an address of
 * the host off Docker's bridges). A pair in one namespace is traced over loopback.
 */
export function planTrace(t: Topology, fromName: string, toName: string): TracePlan {
  const from = container(t, fromName);
  const a = endpointsOf(t, from).filter((e) => e.bridge && e.ipv4);
  const base = { from, blockers: [] as string[], notes: [] as PlanNote[], loopback: false, hops: [] as TraceHop[], bridges: [] as string[] };
  if (from.state !== 'running') base.blockers.push(`${from.name} is not running (${from.state})`);
  else if (a.length === 0) base.blockers.push(`${from.name} has no address on a bridge network`);

  if (toName === 'gateway' || toName === 'host') return planToHost(t, base, a, toName);
  if (IPV4.test(toName)) {
    const owner = t.endpoints.find((e) => e.ipv4 === toName && a.some((ea) => ea.networkId === e.networkId)) ?? t.endpoints.find((e) => e.ipv4 === toName);
    const c = owner && t.containers.find((x) => x.id === owner.containerId);
    if (c && owner) return planToContainer(t, base, a, c, owner, toName);
    return planToNobody(t, base, a, toName);
  }
  const to = container(t, toName);
  if (namespaceOwnerId(to) === namespaceOwnerId(from)) {
    return {
      ...base, to, toKind: 'container', toName: to.name, loopback: true, fromIp: a[0]?.ipv4, toIp: a[0]?.ipv4 ?? '127.0.0.1', blockers: base.blockers.filter((b) => !b.includes('no address')),
      path: `${from.name} and ${to.name} share one network namespace: the ping goes over loopback, no bridge traffic expected`,
    };
  }
  if (to.state !== 'running') base.blockers.push(`${to.name} is not running (${to.state}), so it has no address to answer on`);
  const b = endpointsOf(t, to).filter((e) => e.ipv4);
  const eb = b.find((e) => a.some((ea) => ea.networkId === e.networkId)) ?? b[0];
  if (!eb) {
    if (to.state === 'running') base.blockers.push(`${to.name} has no address on a bridge network`);
    return { ...base, to, toKind: 'container', toName: to.name, fromIp: a[0]?.ipv4, path: `${to.name} has no address ${from.name} could reach` };
  }
  return planToContainer(t, base, a, to, eb, eb.ipv4!);
}

export type Base = Pick<TracePlan, 'from' | 'blockers' | 'notes' | 'loopback' | 'hops' | 'bridges'>;

/** What planning over IPv4 and over IPv6 do differently: which subnet holds an address, which address and gateway are an endpoint's. */
export interface PlanFamily {
  family?: 6;
  inSubnet(ip: string, net: NetworkInfo | undefined): boolean;
  address(e: EndpointInfo): string | undefined;
  gateway(net: NetworkInfo): string | undefined;
  /** Said of a shared network in the path (its IPv6 subnet, say). */
  sharedNote(net: NetworkInfo | undefined): string;
}

const IPV4_FAMILY: PlanFamily = {
  inSubnet: (ip, net) => inSubnet(ip, net?.subnet),
  address: (e) => e.ipv4,
  gateway: (net) => net.gateway,
  sharedNote: () => '',
};

/** A to B's endpoint `eb`: on a network they share, else through each one's bridge and the host. */
export function planToContainer(t: Topology, base: Base, a: EndpointInfo[], to: ContainerInfo, eb: EndpointInfo, toIp: string, fam: PlanFamily = IPV4_FAMILY): TracePlan {
  const from = base.from;
  const shared = a.find((ea) => ea.networkId === eb.networkId);
  const ea = shared ?? a.find((e) => fam.inSubnet(toIp, networkOf(t, e))) ?? a[0];
  const fromNetwork = networkOf(t, ea);
  const toNetwork = networkOf(t, eb);
  const hops = [ea && vethHop(from, ea, 'source'), fromNetwork?.bridge ? bridgeHop(fromNetwork) : undefined];
  if (toNetwork?.bridge && toNetwork.id !== fromNetwork?.id) hops.push(bridgeHop(toNetwork));
  hops.push(vethHop(to, eb, 'target'));
  const plan: TracePlan = {
    ...base, ...(fam.family ? { family: fam.family } : {}), to, toKind: 'container', toName: to.name, fromIp: ea && fam.address(ea), toIp, toMac: eb.mac, fromNetwork, toNetwork,
    hops: hops.filter((h): h is TraceHop => h !== undefined),
    nextHopIp: shared || !fromNetwork ? toIp : fam.gateway(fromNetwork),
    path: shared
      ? `${from.name} and ${to.name} share network ${shared.network} on bridge ${shared.bridge}${fam.sharedNote(fromNetwork)}`
      : `${from.name} and ${to.name} share no network: ${from.name} is on ${ea?.network} (${ea?.bridge}), ${to.name} is on ${eb.network} (${eb.bridge}); packets must cross the host between the bridges`,
  };
  plan.bridges = [...new Set(plan.hops.filter((h) => h.role === 'bridge').map((h) => h.interface))];
  if (!shared && ea) plan.notes.push({ code: 'no-shared-network', text: `${from.name} and ${to.name} share no network (${ea.network}, ${eb.network})` });
  return plan;
}

function planToHost(t: Topology, base: Base, a: EndpointInfo[], kind: 'gateway' | 'host'): TracePlan {
  const ea = a[0];
  const net = networkOf(t, ea);
  const toIp = kind === 'gateway' ? net?.gateway : hostAddress(t);
  if (!toIp) base.blockers.push(kind === 'gateway' ? `${base.from.name}'s network has no gateway` : 'the host has no IPv4 address off the Docker bridges');
  const plan: TracePlan = {
    ...base, toKind: kind, toName: kind === 'gateway' ? `gateway (${net?.name ?? '?'})` : `host (${toIp ?? '?'})`, fromIp: ea?.ipv4, toIp, fromNetwork: net,
    nextHopIp: net?.gateway,
    hops: [ea && vethHop(base.from, ea, 'source'), net?.bridge ? bridgeHop(net) : undefined].filter((h): h is TraceHop => h !== undefined),
    path: `${base.from.name} pings ${kind === 'gateway' ? `its gateway ${toIp} on ${net?.bridge}` : `the host at ${toIp}, through its gateway on ${net?.bridge}`}`,
  };
  plan.bridges = plan.hops.filter((h) => h.role === 'bridge').map((h) => h.interface);
  return plan;
}

function planToNobody(t: Topology, base: Base, a: EndpointInfo[], ip: string): TracePlan {
  const onSubnet = a.find((e) => inSubnet(ip, networkOf(t, e)?.subnet));
  const ea = onSubnet ?? a[0];
  const net = networkOf(t, ea);
  const plan: TracePlan = {
    ...base, toKind: 'ip', toName: ip, fromIp: ea?.ipv4, toIp: ip, fromNetwork: net, nextHopIp: onSubnet ? ip : net?.gateway,
    hops: [ea && vethHop(base.from, ea, 'source'), net?.bridge ? bridgeHop(net) : undefined].filter((h): h is TraceHop => h !== undefined),
    path: onSubnet ? `${ip} is on ${net?.name} (${net?.subnet}), ${base.from.name}'s network` : `${ip} is not on ${base.from.name}'s networks: it goes to the gateway ${net?.gateway}`,
  };
  plan.bridges = plan.hops.filter((h) => h.role === 'bridge').map((h) => h.interface);
  if (onSubnet) plan.notes.push({ code: 'no-owner', text: `no container owns ${ip} on ${net?.name}` });
  else {
    const subnets = a.map((e) => `${networkOf(t, e)?.name} ${networkOf(t, e)?.subnet}`).join(', ');
    plan.notes.push({ code: 'other-subnet', text: `${ip} is on a different subnet from ${base.from.name}'s (${subnets}), and no container owns it` });
  }
  return plan;
}

/**
 * An address of the host (IPv4, or IPv6 of global scope) on the interface of its default route,
 * else on any interface off Docker's bridges.
 */
export function hostAddress(t: Topology, family: 4 | 6 = 4): string | undefined {
  const bridges = new Set(t.bridges.map((b) => b.name));
  const dev = t.routes.find((r) => r.dst === 'default')?.dev;
  const addresses = (i: HostInterface) => (family === 4 ? i.ipv4 : (i.ipv6 ?? []));
  const candidates = t.interfaces.filter((i) => i.name !== 'lo' && !bridges.has(i.name) && addresses(i).length > 0);
  const pick = candidates.find((i) => i.name === dev) ?? candidates[0];
  return pick && addresses(pick)[0]?.split('/')[0];
}
