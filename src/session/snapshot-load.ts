import { readFile } from 'node:fs/promises';
import { parseJsonText, parseSnapshotHistory, SnapshotError, type TimedSnapshot } from '../annotate/snapshot.js';
import type { Topology } from '../model/topology.js';

/** Reads a snapshot file (a sidecar, or a saved `bridgescope topology --json`): every topology in it. */
export async function loadSnapshotHistory(path: string): Promise<TimedSnapshot[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SnapshotError(
      code === 'ENOENT' ? 'BS_SNAPSHOT_MISSING' : 'BS_SNAPSHOT_UNREADABLE',
      path,
      code === 'ENOENT' ? 'no such topology snapshot' : `cannot read topology snapshot (${code ?? 'error'})`,
      { cause: err },
    );
  }
  return parseSnapshotHistory(parseJsonText(text, path), path);
}

/** The newest topology of a snapshot file. */
export async function loadSnapshotFile(path: string): Promise<Topology> {
  return (await loadSnapshotHistory(path)).at(-1)!.topology;
}
