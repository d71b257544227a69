import { describeInterface } from '../annotate/snapshot-pcapng.js';
import type { Topology } from '../model/topology.js';
import { openCaptureFile } from '../pcap/open.js';
import { PcapngWriter } from '../pcap/pcapng-writer.js';
import { writeSnapshotBlock } from './snapshot-file.js';
import type { CaptureInterface } from '../source/frame-batch.js';

/**
 * Used by lab/record-seed.sh to ship captures/seed-ping.pcapng. Rewrites a capture taken on host interface `iface` as pcapng with `topology` embedded (the
 * snapshot NRB, interface name and description). Frames and timestamps are copied unchanged.
 */
export async function embedSnapshot(inPath: string, outPath: string, iface: string, topology: Topology, at = Date.parse(topology.capturedAt) / 1000): Promise<number> {
  const writer = new PcapngWriter(outPath, { comment: `bridgescope topology snapshot of ${topology.capturedAt}` });
  writeSnapshotBlock(writer, { at, topology });
  const description = describeInterface(topology, iface);
  let frames = 0;
  for await (const batch of openCaptureFile(inPath)) {
    const interfaces: CaptureInterface[] = batch.interfaces.map((i) => ({ ...i, name: iface, description }));
    writer.writeBatch({ ...batch, interfaces });
    frames += batch.count;
  }
  writer.close();
  return frames;
}
