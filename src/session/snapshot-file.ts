import { renameSync, writeFileSync } from 'node:fs';
import { snapshotNameRecords, snapshotOptions } from '../annotate/snapshot-pcapng.js';
import { encodeSnapshotHistory, sidecarPath, type TimedSnapshot } from '../annotate/snapshot.js';
import type { Topology } from '../model/topology.js';
import { PcapngWriter } from '../pcap/pcapng-writer.js';
import type { CaptureWriter } from '../pcap/capture-writer.js';
import { replayNames } from './replay-names.js';

/** One snapshot into a pcapng being written: an NRB of its names carrying the snapshot itself. */
export function writeSnapshotBlock(writer: PcapngWriter, snapshot: TimedSnapshot): void {
  writer.addNameRecords(snapshotNameRecords(snapshot.topology), snapshotOptions(snapshot));
}

/**
 * Keeps the topology history of a file being written: in a pcapng, each snapshot is a block
 * written now, so it stands before the frames that follow it; beside a classic pcap, the whole
 * history is rewritten to FILE.topology.json (changes are rare, and a reader never sees half a
 * file: it is written aside and renamed).
 */
export class SnapshotRecorder {
  private readonly history: TimedSnapshot[] = [];

  constructor(private readonly writer: CaptureWriter) {}

  record(topology: Topology, at: number): void {
    const snapshot = { at, topology };
    if (this.writer instanceof PcapngWriter) {
      writeSnapshotBlock(this.writer, snapshot);
      return;
    }
    this.history.push(snapshot);
    const path = sidecarPath(this.writer.path);
    writeFileSync(`${path}.tmp`, encodeSnapshotHistory(this.history));
    renameSync(`${path}.tmp`, path);
  }
}

/**
 * Every topology a capture file holds, oldest first (embedded snapshots, else its sidecar). A
 * snapshot that names no time (the first format, a single-topology sidecar) is dated by when it
 * was taken. Reads the whole file: snapshots may stand anywhere in it.
 */
export async function captureHistory(file: string): Promise<TimedSnapshot[]> {
  const history: TimedSnapshot[] = [];
  const names = await replayNames(file, { names: true }, {
    onSnapshot: (s) => history.push({ at: Number.isFinite(s.at) ? s.at : Date.parse(s.topology.capturedAt) / 1000, topology: s.topology }),
  });
  try {
    for await (const _batch of names.source) void _batch;
  } finally {
    await names.close();
  }
  return history;
}
