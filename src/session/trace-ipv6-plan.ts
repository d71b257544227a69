import { ipv6ToBytes } from '../annotate/address.js';
import { formatIpv6 } from '../decode/index.js';
import type { ContainerInfo, EndpointInfo, Topology } from '../model/topology.js';
import { namespaceOwnerId } from '../model/identity.js';
import { bridgeHop, container, endpointsOf, hostAddress, networkOf, planToContainer, vethHop, type Base, type PlanFamily, type TraceHop, type TracePlan } from './trace-plan.js';

/**
 * `trace -6`: the same path as the IPv4 plan (A's veth, the bridges, B's veth) over the
 * addresses Docker gives a dual-stack network (`--ipv6 --subnet fd..::/64`). A pings B's global
 * address; the neighbour it must resolve with NDP is B on a shared network, else A's IPv6 gateway.
 */
export function planTrace6(t: Topology, fromName: string, toName: string): TracePlan {
  const from = container(t, fromName);
  const a = endpointsOf(t, from).filter((e) => e.bridge && globalIpv6(e));
  const base: Base = { from, blockers: [], notes: [], loopback: false, hops: [], bridges: [] };
  if (from.state !== 'running') base.blockers.push(`${from.name} is not running (${from.state})`);
  else if (a.length === 0) base.blockers.push(`${from.name} has no IPv6 address on a bridge network (${noIpv6Why(t, from)})`);

  if (toName === 'gateway' || toName === 'host') return planToHost6(t, base, a, toName);
  if (toName.includes(':')) {
    const key = ipv6Key(toName);
    const owns = (e: EndpointInfo) => key !== undefined && (e.ipv6 ?? []).some((x) => ipv6Key(x) === key);
    const owner = t.endpoints.find((e) => owns(e) && a.some((ea) => ea.networkId === e.networkId)) ?? t.endpoints.find(owns);
    const c = owner && t.containers.find((x) => x.id === owner.containerId);
    const ip = key ?? toName;
    if (c && owner) return planToContainer(t, base, a, c, owner, ip, IPV6_FAMILY);
    return planToNobody6(t, base, a, ip);
  }
  const to = container(t, toName);
  if (namespaceOwnerId(to) === namespaceOwnerId(from)) {
    return {
      ...base, family: 6, to, toKind: 'container', toName: to.name, loopback: true, fromIp: '::1', toIp: '::1', blockers: base.blockers.filter((b) => !b.includes('no IPv6')),
      path: `${from.name} and ${to.name} share one network namespace: the ping goes over loopback, no bridge traffic expected`,
    };
  }
  if (to.state !== 'running') base.blockers.push(`${to.name} is not running (${to.state}), so it has no address to answer on`);
  const b = endpointsOf(t, to).filter((e) => globalIpv6(e));
  const eb = b.find((e) => a.some((ea) => ea.networkId === e.networkId)) ?? b[0];
  if (!eb) {
    if (to.state === 'running') base.blockers.push(`${to.name} has no IPv6 address on a bridge network (${noIpv6Why(t, to)})`);
    return { ...base, family: 6, to, toKind: 'container', toName: to.name, fromIp: a[0] && globalIpv6(a[0]), path: `${to.name} has no IPv6 address ${from.name} could reach` };
  }
  return planToContainer(t, base, a, to, eb, globalIpv6(eb)!, IPV6_FAMILY);
}

/** Docker's global address of an endpoint (ipv6 lists it before the link-local one). */
export function globalIpv6(e: EndpointInfo): string | undefined {
  return canon(e.ipv6?.find((x) => !x.toLowerCase().startsWith('fe80:')));
}

const canon = (ip: string | undefined): string | undefined => (ip === undefined ? undefined : (ipv6Key(ip) ?? ip));

/**
 * One spelling per address, the decoder's (fd42:b6:0::3 is fd42:b6::3), so the plan's addresses
 * compare as text with the frames'; undefined when it is not an IPv6 address.
 */
export function ipv6Key(text: string): string | undefined {
  try {
    return formatIpv6(ipv6ToBytes(text.split('/')[0]), 0);
  } catch {
    return undefined;
  }
}

/** `ip` inside `subnet` (fd42:b6::/64); false when either is not IPv6. */
export function inSubnet6(ip: string, subnet: string | undefined): boolean {
  if (!subnet) return false;
  const [base, len] = subnet.split('/');
  const bits = len === undefined ? 128 : Number(len);
  if (ipv6Key(ip) === undefined || ipv6Key(base) === undefined || !(bits >= 0 && bits <= 128)) return false;
  const x = ipv6ToBytes(ip);
  const y = ipv6ToBytes(base);
  for (let i = 0; i < 16 && bits - 8 * i > 0; i++) {
    const mask = (0xff << (8 - Math.min(8, bits - 8 * i))) & 0xff;
    if ((x[i] & mask) !== (y[i] & mask)) return false;
  }
  return true;
}

/** The multicast group a neighbor solicitation for `ip` goes to (RFC 4291 §2.7.1: ff02::1:ff and its last 24 bits). */
export function solicitedNode(ip: string): string | undefined {
  if (ipv6Key(ip) === undefined) return undefined;
  const b = ipv6ToBytes(ip);
  const g = new Uint8Array(16);
  g.set([0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff, b[13], b[14], b[15]]);
  return formatIpv6(g, 0);
}

function noIpv6Why(t: Topology, c: ContainerInfo): string {
  const nets = endpointsOf(t, c).map((e) => networkOf(t, e)).filter((n) => n !== undefined);
  if (nets.length === 0) return 'it is on no network';
  const v4only = nets.filter((n) => !n.subnet6).map((n) => n.name);
  return v4only.length === nets.length ? `${v4only.join(', ')} ${v4only.length === 1 ? 'is' : 'are'} not dual-stack (docker network create --ipv6)` : 'Docker gave it none';
}

const hopsOf = (...h: Array<TraceHop | undefined>): TraceHop[] => h.filter((x): x is TraceHop => x !== undefined);

const IPV6_FAMILY: PlanFamily = {
  family: 6,
  inSubnet: (ip, net) => inSubnet6(ip, net?.subnet6),
  address: globalIpv6,
  gateway: (net) => canon(net.gateway6),
  sharedNote: (net) => ` (IPv6 ${net?.subnet6 ?? '?'})`,
};

function planToHost6(t: Topology, base: Base, a: EndpointInfo[], kind: 'gateway' | 'host'): TracePlan {
  const ea = a[0];
  const net = networkOf(t, ea);
  const gateway = canon(net?.gateway6);
  const toIp = kind === 'gateway' ? gateway : canon(hostAddress(t, 6));
  if (!toIp) base.blockers.push(kind === 'gateway' ? `${base.from.name}'s network has no IPv6 gateway` : 'the host has no global IPv6 address off the Docker bridges');
  const plan: TracePlan = {
    ...base, family: 6, toKind: kind, toName: kind === 'gateway' ? `gateway (${net?.name ?? '?'})` : `host (${toIp ?? '?'})`, fromIp: ea && globalIpv6(ea), toIp, fromNetwork: net,
    nextHopIp: gateway,
    hops: hopsOf(ea && vethHop(base.from, ea, 'source'), net?.bridge ? bridgeHop(net) : undefined),
    path: `${base.from.name} pings ${kind === 'gateway' ? `its IPv6 gateway ${toIp ?? '?'} on ${net?.bridge}` : `the host at ${toIp ?? '?'}, through its IPv6 gateway on ${net?.bridge}`}`,
  };
  plan.bridges = plan.hops.filter((h) => h.role === 'bridge').map((h) => h.interface);
  return plan;
}

function planToNobody6(t: Topology, base: Base, a: EndpointInfo[], ip: string): TracePlan {
  const onSubnet = a.find((e) => inSubnet6(ip, networkOf(t, e)?.subnet6));
  const ea = onSubnet ?? a[0];
  const net = networkOf(t, ea);
  const plan: TracePlan = {
    ...base, family: 6, toKind: 'ip', toName: ip, fromIp: ea && globalIpv6(ea), toIp: ip, fromNetwork: net, nextHopIp: onSubnet ? ip : canon(net?.gateway6),
    hops: hopsOf(ea && vethHop(base.from, ea, 'source'), net?.bridge ? bridgeHop(net) : undefined),
    path: onSubnet ? `${ip} is on ${net?.name} (${net?.subnet6}), ${base.from.name}'s network` : `${ip} is not on ${base.from.name}'s networks: it goes to the IPv6 gateway ${net?.gateway6}`,
  };
  plan.bridges = plan.hops.filter((h) => h.role === 'bridge').map((h) => h.interface);
  if (onSubnet) plan.notes.push({ code: 'no-owner', text: `no container owns ${ip} on ${net?.name}` });
  else {
    const subnets = a.map((e) => `${networkOf(t, e)?.name} ${networkOf(t, e)?.subnet6}`).join(', ');
    plan.notes.push({ code: 'other-subnet', text: `${ip} is on a different subnet from ${base.from.name}'s (${subnets}), and no container owns it` });
  }
  return plan;
}
