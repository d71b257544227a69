// Rewrites a pcapng whose topology snapshot is the first format (a Custom Block, PEN 32473) in
// the current one (an NRB carrying it): same section comment, interfaces and frames, byte for
// byte. Used once for captures/seed-ping.pcapng, which cannot be re-recorded without the lab.
// Usage: node lab/convert-snapshot-format.mjs IN.pcapng OUT.pcapng   (after npm run build)
import { openCaptureFile } from '../dist/pcap/open.js';
import { PcapngWriter } from '../dist/pcap/pcapng-writer.js';
import { snapshotFromCustomBlock } from '../dist/annotate/snapshot-pcapng.js';
import { writeSnapshotBlock } from '../dist/session/snapshot-file.js';

const [input, output] = process.argv.slice(2);
const probe = openCaptureFile(input);
// Reading the first batch reads every block before it, the snapshot among them.
await probe[Symbol.asyncIterator]().next();
const block = probe.meta.customBlocks.find((b) => snapshotFromCustomBlock(b, input));
if (!block) throw new Error(`${input}: no first-format snapshot to convert`);
const { topology } = snapshotFromCustomBlock(block, input);
const writer = new PcapngWriter(output, { comment: probe.meta.sectionComments[0], userAppl: probe.meta.shbUserAppl });
await probe.close();
writeSnapshotBlock(writer, { at: Date.parse(topology.capturedAt) / 1000, topology });
let frames = 0;
for await (const batch of openCaptureFile(input)) {
  writer.writeBatch(batch);
  frames += batch.count;
}
writer.close();
console.log(`${output}: ${frames} frames, snapshot of ${topology.capturedAt}`);
