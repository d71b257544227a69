import type { Topology } from '../model/topology.js';
import type { CaptureWriter } from '../pcap/capture-writer.js';
import { BatchBuilder } from '../source/batch-builder.js';
import type { CaptureInterface, OwnedFrame } from '../source/frame-batch.js';
import type { OverlayPath } from './trace-overlay-plan.js';
import type { TraceHop, TracePlan } from './trace-plan.js';
import { SnapshotRecorder } from './snapshot-file.js';

/**
 * A cross-host trace's frames into one capture file, written once the trace is over (the copies
 * inside the containers' namespaces come in only when their tcpdumps stop): every hop an
 * interface, in time order, with the topology of every host first, so a replay names each frame
 * with its host as the trace did. A container's interface is named `host:container`, as
 * `capture host:container` names the same hop (the prefix is what a replay and the copy merge
 * read as the host); an underlay interface is this machine's and keeps its name. Each
 * interface's description is its hop's label. The caller opened the writer and closes it.
 */
export function writeOverlayTrace(writer: CaptureWriter, frames: readonly OwnedFrame[], interfaces: readonly string[], plan: TracePlan, o: OverlayPath, topology: Topology): void {
  const fileName = (hop: TraceHop | undefined, name: string) =>
    hop?.role === 'source' ? `${o.fromHost}:${plan.from.name}` : hop?.role === 'target' ? `${o.toHost}:${plan.to?.name}` : name;
  const ifs: CaptureInterface[] = interfaces.map((name, id) => {
    const hop = plan.hops.find((h) => h.interface === name);
    return { id, linkType: frames.find((f) => f.ifIndex === id)?.linkType ?? 1, snapLen: 262144, name: fileName(hop, name), description: hop?.label };
  });
  new SnapshotRecorder(writer).record(topology, Date.parse(topology.capturedAt) / 1000);
  if (frames.length === 0) return;
  const arena = new Uint8Array(frames.reduce((n, f) => n + f.capLen, 0));
  const b = new BatchBuilder(frames.length, ifs);
  b.reset(arena);
  let at = 0;
  for (const f of frames) {
    arena.set(f.bytes.subarray(0, f.capLen), at);
    b.push(at, f.capLen, f.origLen, f.tsSec, f.tsNsec, f.ifIndex);
    at += f.capLen;
  }
  writer.writeBatch(b.take());
}
