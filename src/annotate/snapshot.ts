import { BridgescopeError, type ErrorCode, type WrapOptions } from '../errors.js';
import { safeParse } from 'valibot';
import { firstIssue, topologySchema } from './snapshot-schema.js';
import { READABLE_TOPOLOGY_VERSIONS, TOPOLOGY_VERSION, type Topology } from '../model/topology.js';

/** A topology snapshot that cannot be used; names the file and what to do. */
export class SnapshotError extends BridgescopeError {
  constructor(
    code: ErrorCode,
    readonly file: string,
    readonly detail: string,
    options?: WrapOptions,
  ) {
    super(code, `${file}: ${detail}`, 2, options);
  }
}

/**
 * Checks parsed JSON is a snapshot we understand: a version we read, then every field against the
 * schema (snapshot-schema.ts), so that nothing after this can throw on it. Version 1 is upgraded.
 */
export function parseSnapshot(json: unknown, file = 'snapshot', path = ''): Topology {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new SnapshotError('BS_SNAPSHOT_INVALID', file, `not a topology snapshot${path ? ` at ${path}` : ''} (expected a JSON object)`);
  }
  const version = (json as Record<string, unknown>).version;
  if (typeof version !== 'number' || !READABLE_TOPOLOGY_VERSIONS.includes(version)) {
    const shown = typeof version === 'number' && Number.isFinite(version) ? String(version) : typeof version;
    throw new SnapshotError(
      'BS_SNAPSHOT_VERSION',
      file,
      `topology snapshot version ${shown} is not supported (expected ${TOPOLOGY_VERSION}); regenerate it with bridgescope topology --json`,
    );
  }
  const checked = safeParse(topologySchema, json, { abortEarly: true });
  if (!checked.success) throw new SnapshotError('BS_SNAPSHOT_INVALID', file, `topology snapshot field ${firstIssue(checked.issues, path)}`);
  const t = checked.output as unknown as Topology;
  return version === 1 ? upgradeFromV1(t) : t;
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

/** One topology a capture saw, from `at` (epoch seconds) on. */
export interface TimedSnapshot {
  at: number;
  topology: Topology;
}

/**
 * A snapshot file: `bridgescope topology --json` (one topology), or the history a capture wrote
 * beside a classic pcap, `{"snapshots": [{"at": epoch seconds, "topology": {...}}, ...]}` in time
 * order. Either way a list, oldest first.
 */
export function parseSnapshotHistory(json: unknown, file: string): TimedSnapshot[] {
  if (typeof json !== 'object' || json === null || !('snapshots' in json)) return [{ at: -Infinity, topology: parseSnapshot(json, file) }];
  const list = (json as { snapshots: unknown }).snapshots;
  if (!Array.isArray(list) || list.length === 0) throw new SnapshotError('BS_SNAPSHOT_INVALID', file, 'field snapshots: expected a non-empty list');
  return list.map((entry: unknown, i) => {
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as { at?: unknown; topology?: unknown };
    if (typeof e.at !== 'number' || !Number.isFinite(e.at)) throw new SnapshotError('BS_SNAPSHOT_INVALID', file, `field snapshots[${i}].at: expected epoch seconds`);
    return { at: e.at, topology: parseSnapshot(e.topology, file, `snapshots[${i}].topology`) };
  });
}

/** JSON text to a value; the parser's message quotes the input, so only the position is kept. */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const at = /position (\d+)/.exec((err as Error).message)?.[1];
    throw new SnapshotError('BS_SNAPSHOT_INVALID', file, `topology snapshot is not valid JSON${at ? ` (at character ${at})` : ''}`, { cause: err });
  }
}

/** A classic pcap's sidecar: the history as `parseSnapshotHistory` reads it back. */
export function encodeSnapshotHistory(history: readonly TimedSnapshot[]): string {
  return JSON.stringify({ snapshots: history }, null, 1);
}

/** Where a classic pcap's snapshot lives: beside it, FILE.topology.json. */
export const sidecarPath = (capturePath: string): string => `${capturePath}.topology.json`;
