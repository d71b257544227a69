import { openCaptureFile } from '../pcap/open.js';
import { PcapngWriter } from '../pcap/pcapng-writer.js';
import { BatchBuilder } from '../source/batch-builder.js';
import type { CaptureInterface } from '../source/frame-batch.js';

const HOP_NS = [0, 5_000, 12_000];

/**
 * A three-interface pcapng made from a one-interface capture: each frame written as seen on the
 * sender's veth, the bridge and the receiver's veth, 5 and 12 µs apart, which is what a capture of
 * both containers and their network records. Returns the frames written (3 per input frame).
 */
export async function writeThreeInterfaces(from: string, to: string): Promise<number> {
  const ifs: CaptureInterface[] = ['veth-a', 'br-bench', 'veth-b'].map((name, id) => ({ id, linkType: 1, snapLen: 262144, name }));
  const writer = new PcapngWriter(to);
  let written = 0;
  for await (const b of openCaptureFile(from)) {
    const out = new BatchBuilder(b.count * 3, ifs);
    out.reset(b.data);
    for (let i = 0; i < b.count; i++) {
      for (let hop = 0; hop < 3; hop++) {
        const ns = b.tsNsec[i] + HOP_NS[hop];
        out.push(b.offset[i], b.capLen[i], b.origLen[i], b.tsSec[i] + Math.floor(ns / 1e9), ns % 1e9, hop);
      }
    }
    writer.writeBatch(out.take());
    written += out.count;
  }
  writer.close();
  return written;
}
