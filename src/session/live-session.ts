import { noNames, type Resolver } from '../model/endpoint.js';
import { describeInterface } from '../annotate/snapshot-pcapng.js';
import { SnapshotRecorder } from './snapshot-file.js';
import { nameComments } from './frame-comments.js';
import type { Topology } from '../model/topology.js';
import { hostIfIndex, openCapture, type CaptureEngine, type InterfaceEnd } from '../capture/index.js';
import { Follower, planTargets, type FollowPlan } from './follow.js';
import { createCaptureWriter, type CaptureWriter } from '../pcap/index.js';
import type { LiveResolver } from '../docker/live-resolver.js';
import type { CaptureStats } from '../source/frame-batch.js';
import { TeeSource } from '../source/tee-source.js';

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
  /** pcapng only: each frame's endpoint names as its packet comment (Wireshark's frame.comment). */
  comments?: boolean;
  /** Stop after this many frames. */
  count?: number;
  /** Name frames from Docker (default true). */
  names?: boolean;
  /** One-line notices (Docker went away, came back; an interface ended; a container restarted). */
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
  /** Interfaces opened at start; a followed container may add more (see batch.interfaces). */
  interfaces: string[];
  /** Ends the capture, flushes and closes the file, and returns the final counters. */
  stop(): Promise<SessionSummary>;
}

export interface SessionSummary {
  frames: number;
  stats: CaptureStats[];
  ended: readonly InterfaceEnd[];
  /** The capture ended because nothing was left to capture (interfaces gone, containers removed). */
  exhausted: boolean;
  written?: string;
}

export async function startLiveSession(opts: LiveSessionOptions): Promise<LiveSession> {
  const notice = opts.onNotice ?? (() => undefined);
  const wantNames = opts.names ?? true;
  // Following a container needs the event stream even when frames are not to be named.
  const follow = (opts.engine ?? 'native') === 'native';
  const needDocker = wantNames || (follow && opts.targets.some((t) => hostIfIndex(t) === undefined));
  const live = needDocker ? await (await import('../docker/live-resolver.js')).LiveResolver.start({ onNotice: notice }) : undefined;
  const topology = live?.snapshot();
  let opened: Opened;
  try {
    opened = await openAll(opts, topology, { follow: follow && live !== undefined, notice });
  } catch (err) {
    // A leftover event stream would keep the process alive after the one-line error.
    await live?.close();
    throw err;
  }
  const { plan, capture, writer, follower } = opened;
  const unfollow = live?.onChange((change) => follower.apply(change.topology));
  // Changes applied while the targets were being opened came before the subscription.
  const now = live?.snapshot();
  if (now) follower.apply(now);
  const unrecord = writer && live && wantNames ? recordChanges(live, writer, now ?? topology, notice) : undefined;
  const comments = opts.comments && live && wantNames ? nameComments(live) : undefined;
  const source = new TeeSource(capture, { onBatch: writer ? (b) => writer.writeBatch(b, comments?.(b)) : undefined, limit: opts.count });
  let stopped: Promise<SessionSummary> | undefined;
  return {
    source,
    resolver: wantNames && live ? live : noNames,
    topology,
    description: plan.description,
    interfaces: plan.interfaces,
    stop: () =>
      (stopped ??= (async () => {
        unfollow?.();
        follower.close();
        await source.close();
        const stats = capture.stats();
        unrecord?.();
        writer?.close(stats);
        await live?.close();
        return { frames: source.frames, stats, ended: capture.endReasons(), exhausted: follower.exhausted, written: writer?.path };
      })()),
  };
}

interface Opened {
  plan: FollowPlan;
  capture: ReturnType<typeof openCapture>;
  follower: Follower;
  writer?: CaptureWriter;
}

/** Targets, interfaces and the file, in that order; what opened before a failure is closed again. */
async function openAll(
  opts: LiveSessionOptions,
  topology: Topology | undefined,
  how: { follow: boolean; notice: (m: string) => void },
): Promise<Opened> {
  const plan = await planTargets(opts.targets, topology, how);
  if (!how.follow && opts.engine === 'cap' && topology && opts.targets.some((t) => hostIfIndex(t) === undefined)) {
    how.notice('the cap engine captures a fixed set of interfaces: containers are not followed if they restart or reconnect (--engine native follows them)');
  }
  // The hooks run on later events only, once `capture` below is open.
  const follower = new Follower(plan, {
    open: (iface, t) => {
      const added = capture.addInterface(iface);
      added.description ??= describeInterface(t, iface);
    },
    notice: how.notice,
    onExhausted: () => void capture.close(),
  });
  const capture = openCapture(plan.interfaces, {
    filter: opts.filter,
    snaplen: opts.snaplen,
    bufferSize: opts.bufferSize,
    immediate: opts.immediate,
    engine: opts.engine,
    holdOpen: plan.follows,
    onInterfaceEnd: (end) => follower.interfaceEnded(end),
  });
  if (topology) for (const i of capture.interfaces) i.description ??= describeInterface(topology, i.name ?? '');
  try {
    return { plan, capture, follower, writer: opts.write ? openWriter(opts.write, topology) : undefined };
  } catch (err) {
    await capture.close();
    throw err;
  }
}

/** The SHB comment says when the first topology was read; the snapshots follow as it changes. */
function openWriter(path: string, topology: Topology | undefined): CaptureWriter {
  return createCaptureWriter(path, { comment: topology ? `bridgescope capture, topology of ${topology.capturedAt}` : undefined });
}

/**
 * Writes the topology as the capture starts and again after every change Docker reports, so a
 * replay of the file names each frame as this session did. Returns the unsubscribe, called
 * before the file is closed.
 */
function recordChanges(live: LiveResolver, writer: CaptureWriter, topology: Topology | undefined, notice: (m: string) => void): () => void {
  const recorder = new SnapshotRecorder(writer);
  if (topology) recorder.record(topology, Date.now() / 1000);
  return live.onChange((change) => {
    try {
      recorder.record(change.topology, change.at);
    } catch (err) {
      // Frames matter more than names: the capture goes on without this snapshot.
      notice(`${writer.path}: could not write a topology snapshot (${(err as Error).message})`);
    }
  });
}
