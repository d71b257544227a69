import { noNames, type Resolver } from '../model/endpoint.js';
import { describeInterface } from '../annotate/snapshot-pcapng.js';
import { SnapshotRecorder } from './snapshot-file.js';
import { nameComments } from './frame-comments.js';
import type { Topology } from '../model/topology.js';
import { hostIfIndex, openCapture, type CaptureEngine, type InterfaceEnd } from '../capture/index.js';
import { Follower, planTargets, type FollowPlan } from './follow.js';
import { createCaptureWriter, PcapngWriter, type CaptureWriter } from '../pcap/index.js';
import type { LiveResolver } from '../docker/live-resolver.js';
import type { Daemon, DaemonsResolver } from '../docker/daemons.js';
import type { CaptureInterface, CaptureStats } from '../source/frame-batch.js';
import { TeeSource } from '../source/tee-source.js';
import type { HostMergeSource } from '../capture/host-merge-source.js';
import type { RemoteCaptureSource } from '../capture/remote-source.js';
import { joinHosts, splitTargets, type SshSettings } from './host-capture.js';
import { OverlayCapture, splitOverlays } from './overlay-capture.js';
import { sanitize } from '../present/sanitize.js';

export interface LiveSessionOptions {
  /** Interfaces, container names or Docker network names; `host:target` is captured on that host over ssh. */
  targets: string[];
  /** How `host:target` targets are reached (the user's ssh client and config). */
  ssh?: SshSettings;
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
  /** Names from these Docker daemons (`-H`, `--context`) instead of the default one. */
  daemons?: readonly Daemon[];
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
  const { local } = splitTargets(opts.targets);
  const needDocker = wantNames || (follow && local.some((t) => hostIfIndex(t) === undefined));
  const live = needDocker ? await startNames(opts.daemons, notice) : undefined;
  const topology = live?.snapshot();
  let opened: Opened;
  try {
    opened = await openAll(opts, topology, { follow: follow && live !== undefined, notice });
  } catch (err) {
    // A leftover event stream would keep the process alive after the one-line error.
    await live?.close();
    throw err;
  }
  const { plan, capture, writer, follower, remotes, overlay } = opened;
  const unfollow = live?.onChange((change) => {
    follower.apply(change.topology);
    overlay?.apply(change.topology);
  });
  // Changes applied while the targets were being opened came before the subscription.
  const now = live?.snapshot();
  if (now) {
    follower.apply(now);
    overlay?.apply(now);
  }
  const unrecord = writer && live && wantNames ? recordChanges(live, writer, now ?? topology, notice) : undefined;
  const comments = opts.comments && live && wantNames ? nameComments(live) : undefined;
  const source = new TeeSource(capture, { onBatch: writer ? (b) => writer.writeBatch(b, comments?.(b)) : undefined, limit: opts.count });
  let stopped: Promise<SessionSummary> | undefined;
  return {
    source,
    resolver: wantNames && live ? live : noNames,
    topology,
    description: [plan.description, overlay?.description, ...remotes.map((r) => `${sanitize(r.label)} over ssh`)].filter(Boolean).join(', '),
    interfaces: [...plan.interfaces, ...(overlay?.interfaces ?? []), ...remotes.map((r) => r.label)],
    stop: () =>
      (stopped ??= (async () => {
        unfollow?.();
        follower.close();
        await overlay?.close();
        await source.close();
        const stats = capture.stats();
        unrecord?.();
        writer?.close(stats);
        await live?.close();
        // An overlay is followed like a network's bridge, which outlives its containers: it is never used up.
        const exhausted = !overlay && follower.exhausted && remotes.every((r) => r.ended !== undefined);
        return { frames: source.frames, stats, ended: capture.endReasons(), exhausted, written: writer?.path };
      })()),
  };
}

/** The default daemon, or every daemon -H/--context named (each name then carries its host). */
async function startNames(daemons: readonly Daemon[] | undefined, notice: (m: string) => void): Promise<LiveResolver | DaemonsResolver> {
  if (daemons?.length) return (await import('../docker/daemons.js')).DaemonsResolver.start(daemons, { onNotice: notice });
  return (await import('../docker/live-resolver.js')).LiveResolver.start({ onNotice: notice });
}

interface Opened {
  plan: FollowPlan;
  capture: ReturnType<typeof openCapture> | HostMergeSource;
  remotes: RemoteCaptureSource[];
  overlay?: OverlayCapture;
  follower: Follower;
  writer?: CaptureWriter;
}

/** Targets, interfaces and the file, in that order; what opened before a failure is closed again. */
async function openAll(
  opts: LiveSessionOptions,
  topology: Topology | undefined,
  how: { follow: boolean; notice: (m: string) => void },
): Promise<Opened> {
  const { local: named, remote } = splitTargets(opts.targets);
  const { overlays, rest: local } = splitOverlays(named, topology, opts.daemons);
  const plan = await planTargets(local, topology, how);
  if (!how.follow && opts.engine === 'cap' && topology && local.some((t) => hostIfIndex(t) === undefined)) {
    how.notice('the cap engine captures a fixed set of interfaces: containers are not followed if they restart or reconnect (--engine native follows them)');
  }
  // The hooks run on later events only, once `capture` below is open.
  const follower = new Follower(plan, {
    open: (iface, t) => {
      const added = capture.addInterface(iface);
      added.description ??= describeInterface(t, iface);
    },
    notice: how.notice,
    onExhausted: () => void (remote.length > 0 || overlay ? localCapture?.close() : capture.close()),
  });
  const localCapture = local.length === 0 ? undefined : openCapture(plan.interfaces, {
    filter: opts.filter,
    snaplen: opts.snaplen,
    bufferSize: opts.bufferSize,
    immediate: opts.immediate,
    engine: opts.engine,
    holdOpen: plan.follows,
    onInterfaceEnd: (end) => {
      follower.interfaceEnded(end);
      hosts?.capture.interfaceEnded(end);
    },
  });
  if (topology && localCapture) for (const i of localCapture.interfaces) i.description ??= describeInterface(topology, i.name ?? '');
  let hosts: ReturnType<typeof joinHosts> | undefined;
  let overlay: OverlayCapture | undefined;
  try {
    if (overlays.length > 0 && topology) {
      overlay = await OverlayCapture.open(overlays, topology, {
        daemons: opts.daemons ?? [], filter: opts.filter, snaplen: opts.snaplen, bufferSize: opts.bufferSize, immediate: opts.immediate, ssh: opts.ssh,
        notice: how.notice,
        onInterfaceEnd: (end) => {
          how.notice(`capture on ${sanitize(end.interface)} ended: ${sanitize(end.reason)}`);
          hosts?.capture.interfaceEnded(end);
        },
      });
    }
    if (remote.length > 0 || overlay) {
      hosts = joinHosts(localCapture, remote, {
        filter: opts.filter, snaplen: opts.snaplen, ssh: opts.ssh, holdOpen: plan.follows || overlay !== undefined, parts: overlay?.parts,
        onEnd: (end) => how.notice(`capture on ${sanitize(end.interface)} ended: ${sanitize(end.reason)}`),
      });
    }
  } catch (err) {
    await localCapture?.close();
    await overlay?.close();
    throw err;
  }
  const capture = hosts?.capture ?? localCapture!;
  if (hosts) overlay?.attach(hosts.capture);
  try {
    return { plan, capture, follower, overlay, remotes: hosts?.remotes ?? [], writer: opts.write ? openWriter(opts.write, topology, capture.interfaces) : undefined };
  } catch (err) {
    await capture.close();
    throw err;
  }
}

/**
 * The SHB comment says when the first topology was read; the snapshots follow as it changes. A
 * pcapng declares the interfaces open now (each then gets its ISB, frames or not); a followed
 * container's later veths are declared by their first frame.
 */
function openWriter(path: string, topology: Topology | undefined, interfaces: readonly CaptureInterface[]): CaptureWriter {
  const writer = createCaptureWriter(path, { comment: topology ? `bridgescope capture, topology of ${topology.capturedAt}` : undefined });
  if (writer instanceof PcapngWriter) writer.declareInterfaces(interfaces);
  return writer;
}

/**
 * Writes the topology as the capture starts and again after every change Docker reports, so a
 * replay of the file names each frame as this session did. Returns the unsubscribe, called
 * before the file is closed.
 */
function recordChanges(live: Pick<LiveResolver, 'onChange'>, writer: CaptureWriter, topology: Topology | undefined, notice: (m: string) => void): () => void {
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
