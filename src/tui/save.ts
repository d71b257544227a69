import { resolve } from 'node:path';
import { writeSnapshotBlock } from '../session/snapshot-file.js';
import type { Topology } from '../model/topology.js';
import { PcapngWriter } from '../pcap/index.js';
import type { OwnedFrame } from '../source/frame-batch.js';
import type { TuiStore } from './store/tui-store.js';


/** A file name that sorts by time and does not overwrite an earlier save. */
export function defaultSavePath(dir: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-').replace('Z', '');
  return resolve(dir, `bridgescope-${stamp}.pcapng`);
}

/**
 * Writes the frames the list shows now (the display filter applies; frames no longer held are not
 * there to write) to a pcapng file, with the topology snapshot when there is one. Synchronous:
 * the writer flushes before returning, so the status line can say the file is complete.
 */
export function saveShownFrames(store: TuiStore, path: string, topology?: Topology): number {
  const snap = store.getSnapshot();
  const frames = store.frames;
  const writer = new PcapngWriter(path);
  // One frame record reused for every write: the writer copies the bytes before returning.
  const frame: OwnedFrame = { tsSec: 0, tsNsec: 0, capLen: 0, origLen: 0, ifIndex: 0, linkType: 1, bytes: new Uint8Array(0) };
  let n = 0;
  try {
    if (topology) writeSnapshotBlock(writer, { at: Date.parse(topology.capturedAt) / 1000, topology });
    for (let pos = snap.listFirst; pos < snap.listEnd; pos++) {
      const index = store.indexAt(pos);
      if (index < 0) continue;
      frame.bytes = frames.bytes(index);
      frame.capLen = frame.bytes.length;
      frame.origLen = frames.origLenOf(index);
      frame.tsSec = frames.tsSecOf(index);
      frame.tsNsec = frames.tsNsecOf(index);
      frame.linkType = frames.linkTypeOf(index);
      // Frames of one link type share an interface; ifIndex keys the IDB together with linkType.
      frame.ifIndex = 0;
      writer.writeFrame(frame);
      n++;
    }
  } finally {
    writer.close();
  }
  return n;
}
