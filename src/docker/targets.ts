import { BridgescopeError } from '../errors.js';
import { namespaceOwnerId } from '../model/identity.js';
import type { ContainerInfo, Topology } from '../model/topology.js';
import type { DockerClient } from './client.js';
import { DockerError } from './errors.js';
import { readHostInterfaces } from './host-net.js';
import { sanitize } from './render/sanitize.js';
import { loadTopology } from './topology.js';

export interface CaptureTarget {
  /** Host interfaces to open. */
  interfaces: string[];
  /** What the user asked for, for headers ("web-bridge-1 via veth2f57a24"). */
  description: string;
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
 * veth(s), a network is its bridge. `topology` may be passed to avoid reading Docker again.
 */
export async function resolveTarget(
  name: string,
  opts: { client?: DockerClient; topology?: Topology } = {},
): Promise<CaptureTarget> {
  const interfaces = opts.topology?.interfaces ?? (await readHostInterfaces());
  if (interfaces.some((i) => i.name === name)) return { interfaces: [name], description: name };

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
    const container = t.containers.find((c) => c.name === name || (name.length >= 12 && c.id.startsWith(name)));
    if (container) {
      const mode = container.networkMode;
      const veths = hostVethsOf(t, container);
      if (veths.length === 0) {
        throw noVeth(name, mode.kind === 'container' ? mode.container : undefined, mode.kind);
      }
      return { interfaces: veths, description: `${container.label} via ${veths.join(', ')}` };
    }
    const network = t.networks.find((n) => n.name === name || (name.length >= 12 && n.id.startsWith(name)));
    if (network?.bridge) return { interfaces: [network.bridge], description: `network ${network.name} on ${network.bridge}` };
    if (network) {
      throw new BridgescopeError('BS_TARGET_NOT_BRIDGE', `network ${sanitize(name)} uses driver ${network.driver}, which has no Linux bridge to capture on`);
    }
  }
  const known = [...interfaces.map((i) => i.name), ...(t?.containers.map((c) => c.name) ?? []), ...(t?.networks.map((n) => n.name) ?? [])];
  throw new UnknownTargetError(name, closeMatches(name, known), why);
}

/** The host veths that carry a container's frames: a sidecar (`--network container:X`) is seen on X's. */
export function hostVethsOf(t: Topology, container: ContainerInfo): string[] {
  const owner = namespaceOwnerId(container);
  return t.endpoints.filter((e) => e.containerId === owner && e.hostVeth).map((e) => e.hostVeth!);
}

function noVeth(name: string, sharedWith: string | undefined, mode: string): BridgescopeError {
  const hint = sharedWith
    ? `it shares ${sharedWith}'s network namespace, which has none`
    : mode === 'host'
      ? 'it uses the host network; capture a host interface'
      : 'it has no interface on a bridge (not running, or network none)';
  return new BridgescopeError('BS_TARGET_NO_VETH', `container ${sanitize(name)} has no host veth: ${hint}`);
}

/** Names within a small edit distance, or containing / contained in the query; best first. */
export function closeMatches(query: string, candidates: string[], max = 3): string[] {
  const q = query.toLowerCase();
  return [...new Set(candidates)]
    .map((c) => ({ c, d: c.toLowerCase().includes(q) || q.includes(c.toLowerCase()) ? 0.5 : editDistance(q, c.toLowerCase()) }))
    .filter((x) => x.d <= Math.max(2, Math.floor(q.length / 3)))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c))
    .slice(0, max)
    .map((x) => x.c);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
