import type { ContainerInfo, EndpointInfo, Topology } from '../model/topology.js';
import { closeMatches } from '../capture/interfaces.js';
import { BridgescopeError } from '../errors.js';
import { AmbiguousNameError, findContainers, nameForms, namespaceOwnerId } from '../model/identity.js';
import { sanitize } from '../present/sanitize.js';

/** What `trace A B` will do, decided from the topology before any packet is sent. */
export interface TracePlan {
  from: ContainerInfo;
  to: ContainerInfo;
  /** A's address on the path, and the address A pings. */
  fromIp?: string;
  toIp?: string;
  /** Bridges to capture on: the shared one, or both when A and B share none. */
  bridges: string[];
  /** Why the plan is what it is, in words for the user. */
  path: string;
  /** Reasons the ping cannot work, known before trying (a stopped container, no address). */
  blockers: string[];
}

export class TraceTargetError extends BridgescopeError {
  constructor(name: string, suggestions: string[]) {
    const hint = suggestions.length ? `; did you mean ${suggestions.join(', ')}?` : '';
    super('BS_TRACE_UNKNOWN_CONTAINER', `${name} is not a container${hint}`);
  }
}

/** The container a trace end names, in any name form (model/identity.ts); one, or a one-line error. */
function container(t: Topology, name: string): ContainerInfo {
  const found = findContainers(name, t.containers, t.endpoints);
  if (found.kind === 'ambiguous') throw new AmbiguousNameError(sanitize(name), found.candidates.map(sanitize));
  if (found.kind === 'none') {
    throw new TraceTargetError(sanitize(name), closeMatches(name, [...new Set(t.containers.flatMap((c) => nameForms(c, t.endpoints)))]).map(sanitize));
  }
  const [first, ...rest] = found.containers;
  if (rest.length) throw new AmbiguousNameError(sanitize(name), found.containers.map((c) => sanitize(c.name)).sort());
  return first;
}

function endpointsOf(t: Topology, c: ContainerInfo): EndpointInfo[] {
  const owner = namespaceOwnerId(c);
  return t.endpoints.filter((e) => e.containerId === owner);
}

/**
 * Finds the bridge A and B share (the first network in common), or, when they share none, both
 * of their bridges: the ping then has to cross the host, and the capture shows where it stops.
 */
export function planTrace(t: Topology, fromName: string, toName: string): TracePlan {
  const from = container(t, fromName);
  const to = container(t, toName);
  const blockers: string[] = [];
  if (from.state !== 'running') blockers.push(`${from.name} is not running (${from.state})`);
  if (to.state !== 'running') blockers.push(`${to.name} is not running (${to.state}), so it has no address to answer on`);
  const a = endpointsOf(t, from);
  const b = endpointsOf(t, to);
  const shared = a.find((ea) => b.some((eb) => eb.networkId === ea.networkId && eb.ipv4) && ea.bridge);
  if (shared) {
    const eb = b.find((e) => e.networkId === shared.networkId)!;
    return {
      from, to, fromIp: shared.ipv4, toIp: eb.ipv4, bridges: [shared.bridge!], blockers,
      path: `${from.name} and ${to.name} share network ${shared.network} on bridge ${shared.bridge}`,
    };
  }
  const ea = a.find((e) => e.bridge && e.ipv4);
  const eb = b.find((e) => e.bridge && e.ipv4);
  if (!ea) blockers.push(`${from.name} has no address on a bridge network`);
  if (!eb && to.state === 'running') blockers.push(`${to.name} has no address on a bridge network`);
  const bridges = [...new Set([ea?.bridge, eb?.bridge].filter((x): x is string => x !== undefined))];
  const where = (c: ContainerInfo, e?: EndpointInfo) =>
    e ? `${c.name} is on ${e.network} (${e.bridge})` : c.state !== 'running' ? `${c.name} is ${c.state}` : `${c.name} has no bridge network`;
  const crossing = bridges.length > 1 ? '; packets must cross the host between the bridges' : '';
  return {
    from, to, fromIp: ea?.ipv4, toIp: eb?.ipv4, bridges, blockers,
    path: `${from.name} and ${to.name} share no network: ${where(from, ea)}, ${where(to, eb)}${crossing}`,
  };
}
