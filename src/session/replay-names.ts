import { existsSync } from 'node:fs';
import { noNames, type Resolver } from '../model/endpoint.js';
import { loadSnapshotFile, sidecarPath } from '../annotate/snapshot.js';
import { snapshotFromCustomBlocks } from '../annotate/snapshot-pcapng.js';
import { TopologyResolver } from '../annotate/topology-resolver.js';
import type { Topology } from '../model/topology.js';
import { CaptureFileError } from '../errors.js';
import { openCaptureFile } from '../pcap/open.js';

export interface NameFlags {
  names: boolean;
  topology?: string;
  docker?: boolean;
}

/** A resolver, the topology behind it when there is one, and what to release when the replay ends. */
export interface ReplayNames {
  resolver: Resolver;
  topology?: Topology;
  close(): Promise<void>;
}

const none: ReplayNames = { resolver: noNames, close: async () => undefined };

/**
 * Where a replay's names come from, first match wins: --no-names, --topology FILE, --docker (the
 * running daemon), the snapshot embedded in a pcapng we wrote, the FILE.topology.json sidecar.
 * Standard input is read once, so only --topology and --docker name its frames.
 */
export async function replayNames(file: string, flags: NameFlags): Promise<ReplayNames> {
  if (!flags.names) return none;
  if (flags.topology) return fromTopology(await loadSnapshotFile(flags.topology));
  if (flags.docker) {
    const { LiveResolver } = await import('../docker/live-resolver.js');
    const live = await LiveResolver.start();
    return { resolver: live, topology: live.snapshot(), close: () => live.close() };
  }
  if (file === '-') return none;
  const embedded = await embeddedSnapshot(file);
  if (embedded) return fromTopology(embedded);
  const sidecar = sidecarPath(file);
  if (existsSync(sidecar)) return fromTopology(await loadSnapshotFile(sidecar));
  return none;
}

function fromTopology(topology: Topology): ReplayNames {
  return { resolver: new TopologyResolver(topology), topology, close: async () => undefined };
}

/**
 * Our writer puts the snapshot before the first packet, so reading up to the first batch finds it.
 * A damaged file is not this function's business: the replay itself reports it.
 */
async function embeddedSnapshot(file: string): Promise<Topology | undefined> {
  const source = openCaptureFile(file);
  try {
    for await (const _ of source) break;
  } catch (err) {
    if (err instanceof CaptureFileError) return undefined;
    throw err;
  }
  return source.meta.format === 'pcapng' ? snapshotFromCustomBlocks(source.meta.customBlocks, file) : undefined;
}
