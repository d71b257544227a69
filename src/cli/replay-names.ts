import { existsSync } from 'node:fs';
import { noNames, type Endpoint, type Resolver } from '../annotate/endpoint.js';
import { loadSnapshotFile, sidecarPath } from '../annotate/snapshot.js';
import { snapshotFromCustomBlocks } from '../annotate/snapshot-pcapng.js';
import { TopologyResolver } from '../annotate/topology-resolver.js';
import type { CaptureFileSource } from '../pcap/capture-file-source.js';

export interface NameFlags {
  topology?: string;
  docker?: boolean;
}

/** A resolver and what to release when the replay ends. */
export interface ReplayNames {
  resolver: Resolver;
  close(): void;
}

/**
 * Where a replay's names come from, first match wins: --topology FILE, --docker (the running
 * daemon), the snapshot embedded in a pcapng we wrote, the FILE.topology.json sidecar, none.
 */
export async function replayNames(file: string, source: CaptureFileSource, flags: NameFlags): Promise<ReplayNames> {
  if (flags.topology) return fixed(new TopologyResolver(await loadSnapshotFile(flags.topology)));
  if (flags.docker) {
    const { LiveResolver } = await import('../docker/live-resolver.js');
    const live = await LiveResolver.start();
    return { resolver: live, close: () => live.close() };
  }
  const sidecar = file === '-' ? undefined : sidecarPath(file);
  if (sidecar && existsSync(sidecar)) return fixed(new TopologyResolver(await loadSnapshotFile(sidecar)));
  return fixed(new EmbeddedSnapshotResolver(source, file));
}

function fixed(resolver: Resolver): ReplayNames {
  return { resolver, close: () => undefined };
}

/**
 * Names from the snapshot a pcapng carries. Our writer puts it before the first packet, so it is
 * in the reader's metadata by the time the first frame asks for a name; a file without one is
 * looked at once and then answers nothing.
 */
class EmbeddedSnapshotResolver implements Resolver {
  private inner: Resolver | undefined;

  constructor(
    private readonly source: CaptureFileSource,
    private readonly file: string,
  ) {}

  private get names(): Resolver {
    if (!this.inner) {
      const topology = snapshotFromCustomBlocks(this.source.meta.customBlocks, this.file);
      this.inner = topology ? new TopologyResolver(topology) : noNames;
    }
    return this.inner;
  }

  byMac(mac: number, tsSec?: number): Endpoint | undefined {
    return this.names.byMac(mac, tsSec);
  }
  byIpv4(ip: number, tsSec?: number): Endpoint | undefined {
    return this.names.byIpv4(ip, tsSec);
  }
  byIfIndex(ifIndex: number, tsSec?: number): Endpoint | undefined {
    return this.names.byIfIndex(ifIndex, tsSec);
  }
}
