import { noNames, type Resolver } from '../model/endpoint.js';
import { describeInterface, writeSnapshotBlocks } from '../annotate/snapshot-pcapng.js';
import { sidecarPath } from '../annotate/snapshot.js';
import type { Topology } from '../model/topology.js';
import { openCapture, type CaptureEngine, type InterfaceEnd } from '../capture/index.js';
import { resolveTarget, type CaptureTarget } from '../docker/targets.js';
import { createCaptureWriter, PcapngWriter, type CaptureWriter } from '../pcap/index.js';
import type { CaptureStats } from '../source/frame-batch.js';
import { TeeSource } from '../source/tee-source.js';
import { writeFileSync } from 'node:fs';

export interface LiveSessionOptions {
  /** Interfaces, container names or Docker network names. */
  targets: string[];
  filter?: string;
  snaplen?: number;
  bufferSize?: number;
  immediate?: boolean;
  engine?: CaptureEngine;
  /** Keep every frame in this file (.pcapng: with interface names, the topology and drop counts). */
  write?: string;
  /** Stop after this many frames. */
  count?: number;
  /** Name frames from Docker (default true). */
  names?: boolean;
  /** One-line notices (Docker went away, came back; an interface ended). */
  onNotice?: (message: string) => void;
}

/**
 * A live capture with everything around it: targets resolved to interfaces, names kept current by
 * Docker's events, and every frame written to `write` before anyone else sees it.
 */
export interface LiveSession {
  source: TeeSource;
  resolver: Resolver;
  /** The topology when the capture started, if Docker answered. */
  topology?: Topology;
  /** What the targets turned out to be ("web-bridge-1 via veth1a2b3c"). */
  description: string;
  interfaces: string[];
  /** Ends the capture, flushes and closes the file, and returns the final counters. */
  stop(): Promise<SessionSummary>;
}

export interface SessionSummary {
  frames: number;
  stats: CaptureStats[];
  ended: readonly InterfaceEnd[];
  written?: string;
}

export async function startLiveSession(opts: LiveSessionOptions): Promise<LiveSession> {
  const notice = opts.onNotice ?? (() => undefined);
  const wantNames = opts.names ?? true;
  const live = wantNames ? await (await import('../docker/live-resolver.js')).LiveResolver.start({ onNotice: notice }) : undefined;
  const topology = live?.snapshot();
  let opened: Opened;
  try {
    opened = await openAll(opts, topology, notice);
  } catch (err) {
    // A leftover event stream would keep the process alive after the one-line error.
    await live?.close();
    throw err;
  }
  const { resolved, capture, writer } = opened;
  const interfaces = [...new Set(resolved.flatMap((r) => r.interfaces))];
  const source = new TeeSource(capture, { onBatch: writer ? (b) => writer.writeBatch(b) : undefined, limit: opts.count });
  let stopped: Promise<SessionSummary> | undefined;
  return {
    source,
    resolver: live ?? noNames,
    topology,
    description: resolved.map((r) => r.description).join(', '),
    interfaces,
    stop: () =>
      (stopped ??= (async () => {
        await source.close();
        const stats = capture.stats();
        writer?.close(stats);
        await live?.close();
        return { frames: source.frames, stats, ended: capture.endReasons(), written: writer?.path };
      })()),
  };
}

interface Opened {
  resolved: CaptureTarget[];
  capture: ReturnType<typeof openCapture>;
  writer?: CaptureWriter;
}

/** Targets, interfaces and the file, in that order; what opened before a failure is closed again. */
async function openAll(opts: LiveSessionOptions, topology: Topology | undefined, notice: (m: string) => void): Promise<Opened> {
  const resolved = await Promise.all(opts.targets.map((t) => resolveTarget(t, { topology })));
  const capture = openCapture([...new Set(resolved.flatMap((r) => r.interfaces))], {
    filter: opts.filter,
    snaplen: opts.snaplen,
    bufferSize: opts.bufferSize,
    immediate: opts.immediate,
    engine: opts.engine,
    onInterfaceEnd: (end) => notice(`${end.interface} stopped: ${end.reason}`),
  });
  if (topology) for (const i of capture.interfaces) i.description ??= describeInterface(topology, i.name ?? '');
  try {
    return { resolved, capture, writer: opts.write ? openWriter(opts.write, topology) : undefined };
  } catch (err) {
    await capture.close();
    throw err;
  }
}

/** pcapng carries the snapshot inside; a classic pcap gets it beside, as FILE.topology.json. */
function openWriter(path: string, topology: Topology | undefined): CaptureWriter {
  const writer = createCaptureWriter(path, { comment: topology ? `bridgescope capture, topology of ${topology.capturedAt}` : undefined });
  if (topology && writer instanceof PcapngWriter) writeSnapshotBlocks(writer, topology);
  else if (topology) {
    writeFileSync(sidecarPath(path), JSON.stringify(topology, null, 2));
  }
  return writer;
}
