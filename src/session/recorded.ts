import type { Resolver } from '../model/endpoint.js';
import type { Topology } from '../model/topology.js';
import { replayNames } from './replay-names.js';
import { mergeCopies, type CopyMergeOptions } from '../copies/copy-merge-source.js';
import { ipv4CopyLayout } from '../decode/copy-layout.js';
import { copyFrame, type CaptureStats, type OwnedFrame } from '../source/frame-batch.js';
import { startLiveSession, type LiveSessionOptions, type SessionSummary } from './live-session.js';

/**
 * Frames held in memory with the names that go with them: what `replay()` returns and what a
 * live `capture()` ends with. The vitest matchers and `expectSequence` take it as it is.
 */
export interface RecordedFrames {
  frames: OwnedFrame[];
  resolver: Resolver;
  topology?: Topology;
  stats: CaptureStats[];
}

export interface ReplayOptions {
  /** A topology snapshot file; default: the one stored with the capture. */
  topology?: string;
  /** Name frames from the running Docker daemon instead. */
  docker?: boolean;
  /** Addresses only. */
  names?: boolean;
  /** Keep each copy of a frame seen on several interfaces (default: one frame with its `hops`). */
  allCopies?: boolean;
  /** How far apart copies of one frame may be, in ms (default 5). */
  copyWindowMs?: number;
}

function copyOptions(opts: { allCopies?: boolean; copyWindowMs?: number }): CopyMergeOptions {
  return { allCopies: opts.allCopies, windowMs: opts.copyWindowMs };
}

/** Reads a whole capture file into memory, with its names (for tests and small files). */
export async function replay(file: string, opts: ReplayOptions = {}): Promise<RecordedFrames> {
  const names = await replayNames(file, { names: opts.names ?? true, docker: opts.docker, topology: opts.topology });
  const frames: OwnedFrame[] = [];
  try {
    const source = mergeCopies(names.source, ipv4CopyLayout, copyOptions(opts));
    for await (const b of source) for (let i = 0; i < b.count; i++) frames.push(copyFrame(b, i));
  } finally {
    await names.close();
  }
  return { frames, resolver: names.resolver, topology: names.topology, stats: [] };
}

export type CaptureOptions = Omit<LiveSessionOptions, 'targets'> & Pick<ReplayOptions, 'allCopies' | 'copyWindowMs'>;

/** A capture running in the background; `frames` grows until `stop()`. */
export interface RunningCapture {
  frames: OwnedFrame[];
  resolver: Resolver;
  topology?: Topology;
  interfaces: string[];
  stop(): Promise<RecordedFrames & { summary: SessionSummary }>;
}

/**
 * Starts capturing on containers, networks or interfaces and keeps every frame in memory until
 * `stop()`: start it, run the action under test, stop, assert.
 */
export async function capture(targets: string | string[], opts: CaptureOptions = {}): Promise<RunningCapture> {
  const session = await startLiveSession({ ...opts, targets: Array.isArray(targets) ? targets : [targets] });
  const frames: OwnedFrame[] = [];
  const pumping = (async () => {
    for await (const b of mergeCopies(session.source, ipv4CopyLayout, copyOptions(opts))) for (let i = 0; i < b.count; i++) frames.push(copyFrame(b, i));
  })();
  return {
    frames,
    resolver: session.resolver,
    topology: session.topology,
    interfaces: session.interfaces,
    stop: async () => {
      const summary = await session.stop();
      await pumping;
      return { frames, resolver: session.resolver, topology: session.topology, stats: summary.stats, summary };
    },
  };
}
