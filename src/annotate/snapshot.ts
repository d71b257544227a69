import { readFile } from 'node:fs/promises';
import { BridgescopeError } from '../errors.js';
import { READABLE_TOPOLOGY_VERSIONS, TOPOLOGY_VERSION, type Topology } from '../model/topology.js';

/** A topology snapshot that cannot be used; names the file and what to do. */
export class SnapshotError extends BridgescopeError {
  constructor(
    code: string,
    readonly file: string,
    detail: string,
  ) {
    super(code, `${file}: ${detail}`);
  }
}

const LISTS = ['interfaces', 'bridges', 'networks', 'containers', 'endpoints', 'routes'] as const;

/**
 * Checks parsed JSON is a snapshot we understand. Shallow on purpose: the lists' items are our
 * own output; what must never happen is a wrong version or a missing list crashing a replay.
 */
export function parseSnapshot(json: unknown, file = 'snapshot'): Topology {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new SnapshotError('BS_SNAPSHOT_INVALID', file, 'not a topology snapshot (expected a JSON object)');
  }
  const t = json as Record<string, unknown>;
  if (typeof t.version !== 'number' || !READABLE_TOPOLOGY_VERSIONS.includes(t.version)) {
    throw new SnapshotError(
      'BS_SNAPSHOT_VERSION',
      file,
      `topology snapshot version ${JSON.stringify(t.version)} is not supported (expected ${TOPOLOGY_VERSION}); regenerate it with bridgescope topology --json`,
    );
  }
  for (const key of LISTS) {
    if (!Array.isArray(t[key])) throw new SnapshotError('BS_SNAPSHOT_INVALID', file, `topology snapshot has no "${key}" list`);
  }
  return t.version === 1 ? upgradeFromV1(json as Topology) : (json as Topology);
}

/** Version 1 stored the display label ("alpha (+sidecar)") where version 2 stores the name. */
function upgradeFromV1(t: Topology): Topology {
  const nameOf = new Map<string, string>();
  for (const c of t.containers) if (c && typeof c.label === 'string') nameOf.set(c.label, c.name);
  const named = (label: string | undefined) => (label === undefined ? undefined : (nameOf.get(label) ?? label));
  return {
    ...t,
    version: TOPOLOGY_VERSION,
    endpoints: t.endpoints.map((e) => ({ ...e, container: named(e.container) ?? e.container })),
    bridges: t.bridges.map((b) => ({
      ...b,
      ports: (b.ports ?? []).map((p) => ({ ...p, container: named(p.container), learned: (p.learned ?? []).map((l) => ({ ...l, container: named(l.container) })) })),
    })),
  };
}

/** Reads a FILE.topology.json sidecar (or any saved `bridgescope topology --json`). */
export async function loadSnapshotFile(path: string): Promise<Topology> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SnapshotError(
      code === 'ENOENT' ? 'BS_SNAPSHOT_MISSING' : 'BS_SNAPSHOT_UNREADABLE',
      path,
      code === 'ENOENT' ? 'no such topology snapshot' : `cannot read topology snapshot (${code ?? 'error'})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new SnapshotError('BS_SNAPSHOT_INVALID', path, `not valid JSON (${(err as Error).message})`);
  }
  return parseSnapshot(json, path);
}

/** Where a classic pcap's snapshot lives: beside it, FILE.topology.json. */
export const sidecarPath = (capturePath: string): string => `${capturePath}.topology.json`;
