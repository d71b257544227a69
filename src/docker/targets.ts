import { BridgescopeError } from '../errors.js';
import { closeMatches } from '../close-matches.js';
import { AmbiguousNameError, findContainers, nameForms, namespaceOwnerId, namespaceOwners } from '../model/identity.js';
import type { ContainerInfo, NetworkInfo, Topology } from '../model/topology.js';
import type { DockerClient } from './client.js';
import { DockerError } from './errors.js';
import { interfaceNames } from '../capture/interfaces.js';
import { sanitize } from '../sanitize.js';
import { loadTopology } from './topology.js';

export interface CaptureTarget {
  /** Host interfaces to open. */
  interfaces: string[];
  /** What the user asked for, for headers ("web-bridge-1 via veth2f57a24"). */
  description: string;
  /** For a container target: the ids of the containers whose namespaces are captured (a sidecar's owner, every replica). */
  containerIds?: string[];
  /** For a network target: the Docker network's id. */
  networkId?: string;
}

export class UnknownTargetError extends BridgescopeError {
  constructor(
    readonly target: string,
    readonly suggestions: string[],
    why = '',
  ) {
    super(
      'BS_UNKNOWN_TARGET',
      `${sanitize(target)} is not a container, Docker network or interface${why}` +
        (suggestions.length ? `; did you mean ${suggestions.map(sanitize).join(', ')}?` : ''),
    );
  }
}

/**
 * What to capture for a name: an interface is itself (no Docker needed), a container is its host
 * veth(s), a network is its bridge. A container may be named in every form model/identity.ts
 * knows; a sidecar is captured on its namespace owner's veths, `project/service` on every
 * replica's. `topology` may be passed to avoid reading Docker again.
 */
export async function resolveTarget(
  name: string,
  opts: { client?: DockerClient; topology?: Topology } = {},
): Promise<CaptureTarget> {
  // Names only: sysfs lists them without the iproute2 process a full read spawns (~0.1 CPU s).
  const interfaces = opts.topology?.interfaces.map((i) => i.name) ?? interfaceNames();
  if (interfaces.includes(name)) return { interfaces: [name], description: name };

  let t = opts.topology;
  let why = '';
  if (!t) {
    try {
      t = await loadTopology({ client: opts.client });
    } catch (err) {
      if (!(err instanceof DockerError)) throw err;
      why = ` (Docker not reachable: ${err.message})`;
    }
  }
  if (t) {
    const found = findContainers(name, t.containers, t.endpoints);
    if (found.kind === 'ambiguous') throw new AmbiguousNameError(sanitize(name), found.candidates.map(sanitize));
    if (found.kind === 'found') return containerTarget(name, found.containers, t);
    const network = findNetwork(name, t);
    if (network?.driver === 'overlay') {
      // With -H the session captures an overlay itself (session/overlay-capture.ts): reaching here, no -H named one that has it.
      throw new BridgescopeError('BS_TARGET_OVERLAY_NO_HOST', `network ${sanitize(name)} is an overlay network: name the Docker hosts it spans with -H or --context (capture ${sanitize(name)} -H HOST1 -H HOST2)`);
    }
    if (network?.bridge) return { interfaces: [network.bridge], description: `network ${sanitize(network.name)} on ${network.bridge}`, networkId: network.id };
    if (network) {
      throw new BridgescopeError('BS_TARGET_NOT_BRIDGE', `network ${sanitize(name)} uses driver ${network.driver}, which has no Linux bridge to capture on`);
    }
  }
  const known = [
    ...interfaces,
    ...(t?.containers.flatMap((c) => nameForms(c, t!.endpoints)) ?? []),
    ...(t?.networks.map((n) => n.name) ?? []),
  ];
  throw new UnknownTargetError(name, closeMatches(name, [...new Set(known)]), why);
}

/** A Docker network by name, id or id prefix (12 hex digits at least, as `docker network ls` shows ids). */
export function findNetwork(name: string, t: Topology): NetworkInfo | undefined {
  return t.networks.find((n) => n.name === name || n.id === name) ?? t.networks.find((n) => name.length >= 12 && n.id.startsWith(name));
}

/** The host veths that carry a container's frames: a sidecar (`--network container:X`) is seen on X's. */
export function hostVethsOf(t: Topology, container: ContainerInfo): string[] {
  const owner = namespaceOwnerId(container);
  return t.endpoints.filter((e) => e.containerId === owner && e.hostVeth).map((e) => e.hostVeth!);
}

function containerTarget(name: string, found: ContainerInfo[], t: Topology): CaptureTarget {
  const owners = namespaceOwners(found, t.containers);
  const veths = owners.flatMap((o) => t.endpoints.filter((e) => e.containerId === o.id && e.hostVeth).map((e) => e.hostVeth!));
  if (veths.length === 0) {
    const c = found[0];
    const mode = c.networkMode;
    throw noVeth(name, mode.kind === 'container' ? mode.container : undefined, mode.kind, c.state);
  }
  const who = found.map((c) => sanitize(c.label)).join(', ');
  return { interfaces: [...new Set(veths)], description: `${who} via ${[...new Set(veths)].join(', ')}`, containerIds: owners.map((o) => o.id) };
}

function noVeth(name: string, sharedWith: string | undefined, mode: string, state: string): BridgescopeError {
  const hint = sharedWith
    ? `it shares ${sanitize(sharedWith)}'s network namespace, which has none`
    : mode === 'host'
      ? 'it uses the host network; capture a host interface'
      : state !== 'running'
        ? `it is not running (${sanitize(state)})`
        : 'it has no interface on a bridge (network none)';
  return new BridgescopeError('BS_TARGET_NO_VETH', `container ${sanitize(name)} has no host veth: ${hint}`);
}
