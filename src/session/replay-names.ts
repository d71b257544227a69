import { existsSync } from 'node:fs';
import { noNames, type Resolver } from '../model/endpoint.js';
import { sidecarPath, SnapshotError, type TimedSnapshot } from '../annotate/snapshot.js';
import { loadSnapshotHistory } from './snapshot-load.js';
import { snapshotFromCustomBlock, snapshotFromOptions } from '../annotate/snapshot-pcapng.js';
import { TopologyResolver, WholeSecondResolver } from '../annotate/topology-resolver.js';
import type { Topology } from '../model/topology.js';
import { openCaptureFile } from '../pcap/open.js';
import type { CaptureFileSource } from '../pcap/capture-file-source.js';
import type { CaptureSource, CaptureStats, FrameBatch } from '../source/frame-batch.js';
import { sanitize } from '../present/sanitize.js';

export interface NameFlags {
  names: boolean;
  topology?: string;
  docker?: boolean;
  /** Daemons by URL and by Docker context: names from all of them (implies docker). */
  host?: string[];
  context?: string[];
}

/**
 * The frames of a replay with the names that go with them: `source` is the capture to read (read
 * it, not the file again: the names of a file are fed to `resolver` as its frames are read), the
 * topology (the newest one loaded so far), and what to release when the replay ends.
 */
export interface ReplayNames {
  source: CaptureSource;
  resolver: Resolver;
  readonly topology?: Topology;
  close(): Promise<void>;
}

export interface ReplayNamesOptions {
  /** One line when a snapshot in the file cannot be used (default: stderr). */
  onWarning?: (line: string) => void;
  /** Each snapshot as it is loaded (`topology --file`). */
  onSnapshot?: (snapshot: TimedSnapshot) => void;
}

const toStderr = (line: string) => process.stderr.write(`bridgescope: warning: ${line}\n`);

/**
 * Where a replay's names come from, first match wins: --no-names, --topology FILE, -H/--context
 * (several daemons), --docker (the running daemon), the snapshots embedded in a pcapng we wrote,
 * the FILE.topology.json sidecar. Standard input gives what the same file on disk would (only the
 * sidecar is out of its reach).
 */
export async function replayNames(file: string, flags: NameFlags, opts: ReplayNamesOptions = {}): Promise<ReplayNames> {
  if (!flags.names) return plain(file, noNames);
  if (flags.topology) {
    const feed = new SnapshotFeed(file, opts);
    feed.loadAll(await loadSnapshotHistory(flags.topology));
    return plain(file, feed.resolver, feed);
  }
  if (flags.host?.length || flags.context?.length) {
    // A file's frames are from before the daemons were asked: they are named as the hosts are now.
    const { DaemonsResolver, daemonsFrom } = await import('../docker/daemons.js');
    const several = await DaemonsResolver.start(daemonsFrom(flags.host, flags.context));
    const topology = several.snapshot();
    await several.close();
    if (!topology) return plain(file, noNames);
    const source = openCaptureFile(file);
    return { source, resolver: new TopologyResolver(topology), topology, close: () => source.close() };
  }
  if (flags.docker) {
    const { LiveResolver } = await import('../docker/live-resolver.js');
    const live = await LiveResolver.start();
    const source = openCaptureFile(file);
    return { source, resolver: live, topology: live.snapshot(), close: async () => { await source.close(); await live.close(); } };
  }
  return FedSource.open(file, new SnapshotFeed(file, opts));
}

function plain(file: string, resolver: Resolver, feed?: SnapshotFeed): ReplayNames {
  const source = openCaptureFile(file);
  return { source, resolver, get topology() { return feed?.latest; }, close: () => source.close() };
}

/**
 * Loads each snapshot into one TopologyResolver at its time, so frames are named as the topology
 * was when they were seen. The first loads from the beginning of time (frames before it were
 * captured under it). A snapshot that cannot be used is one warning (the first; the names it
 * would have given are missing, nothing else is), never an end to the replay.
 */
class SnapshotFeed {
  readonly names = new TopologyResolver();
  readonly resolver = new WholeSecondResolver(this.names);
  latest?: Topology;
  private blocks = 0;
  private nameBlocks = 0;
  private warned = false;
  readonly warn: (line: string) => void;

  constructor(
    private readonly file: string,
    private readonly opts: ReplayNamesOptions,
  ) {
    this.warn = opts.onWarning ?? toStderr;
  }

  get loaded(): boolean {
    return this.latest !== undefined;
  }

  loadAll(history: readonly TimedSnapshot[]): void {
    for (const s of history) this.load(s);
  }

  /** Takes the snapshots the reader has met since the last call, in file order. */
  drain(source: CaptureFileSource): void {
    const { customBlocks, nameBlockOptions } = source.meta;
    while (this.blocks < customBlocks.length || this.nameBlocks < nameBlockOptions.length) {
      const block = customBlocks[this.blocks];
      const nrb = nameBlockOptions[this.nameBlocks];
      if (block && (!nrb || (block.frame ?? 0) <= nrb.frame)) {
        this.blocks++;
        this.attempt(() => snapshotFromCustomBlock(block, this.file));
      } else {
        this.nameBlocks++;
        this.attempt(() => snapshotFromOptions(nrb.options, this.file));
      }
    }
  }

  private attempt(read: () => TimedSnapshot | undefined): void {
    let snapshot: TimedSnapshot | undefined;
    try {
      snapshot = read();
    } catch (err) {
      if (!(err instanceof SnapshotError)) throw err;
      if (!this.warned) this.warn(`${sanitize(err.message)}; its frames are shown without those names`);
      this.warned = true;
      return;
    }
    if (snapshot) this.load(snapshot);
  }

  private load(s: TimedSnapshot): void {
    this.names.load(s.topology, this.loaded ? s.at : -Infinity);
    this.latest = s.topology;
    this.opts.onSnapshot?.(s);
  }
}

/**
 * A capture file whose snapshots are fed to the resolver as the reader meets them, before the
 * batch that follows them is handed on: a snapshot anywhere in the file, or on standard input,
 * names the frames after it. The first batch is read at open, so the names (and the topology a
 * UI shows) are there before the first frame; a file with none in its first batch may use its
 * sidecar. Damage found while reading that first batch is thrown from the first `next()`, as the
 * file source would.
 */
class FedSource implements CaptureSource {
  private first?: IteratorResult<FrameBatch>;
  private failure?: unknown;
  private readonly it: AsyncIterator<FrameBatch>;

  private constructor(
    private readonly inner: CaptureFileSource,
    private readonly feed: SnapshotFeed,
  ) {
    this.it = inner[Symbol.asyncIterator]();
  }

  static async open(file: string, feed: SnapshotFeed): Promise<ReplayNames> {
    const fed = new FedSource(openCaptureFile(file), feed);
    try {
      fed.first = await fed.it.next();
    } catch (err) {
      fed.failure = err;
    }
    feed.drain(fed.inner);
    const sidecar = sidecarPath(file);
    if (!feed.loaded && file !== '-' && existsSync(sidecar)) {
      try {
        feed.loadAll(await loadSnapshotHistory(sidecar));
      } catch (err) {
        if (!(err instanceof SnapshotError)) throw err;
        feed.warn(`${sanitize(err.message)}; frames are shown without names`);
      }
    }
    return { source: fed, resolver: feed.resolver, get topology() { return feed.latest; }, close: () => fed.close() };
  }

  get label(): string {
    return this.inner.label;
  }

  stats(): CaptureStats[] {
    return [];
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<FrameBatch> {
    if (this.failure !== undefined) throw this.failure;
    let next = this.first;
    this.first = undefined;
    while (next && !next.done) {
      yield next.value;
      next = await this.it.next();
      this.feed.drain(this.inner);
    }
  }
}
