import type { Endpoint, Resolver } from '../model/endpoint.js';
import { TopologyResolver, WholeSecondResolver } from '../annotate/topology-resolver.js';
import { containerIdentity } from '../model/identity.js';
import type { ContainerInfo, EndpointInfo, NetworkInfo, Topology } from '../model/topology.js';
import { dockerClient, type DockerClient } from './client.js';
import { containerInfoOf, endpointsOf, labelSharers, networkInfoOf } from './container-view.js';
import { DockerError } from './errors.js';
import { eventTimeSec, subscribeEvents, type DockerEvent } from './events.js';
import { readHostInterfaces } from '../host/host-net.js';
import { loadTopology } from './topology.js';

/**
 * One applied change of the topology, in the order Docker reported it: what a capture that
 * follows containers, or a file that remembers names, acts on. `at` is Docker's event time
 * (epoch seconds); `topology` is the whole view right after the change.
 */
export interface TopologyChange {
  at: number;
  /** connect: the event stream came up (or back) and the view was read in full. */
  kind: 'connect' | 'container' | 'network';
  /** Docker's action: start, die, destroy, rename, connect, disconnect, create; `read` for connect. */
  action: string;
  /** Container or network id ('' for connect). */
  id: string;
  /** For network connect/disconnect: the container concerned. */
  containerId?: string;
  topology: Topology;
}

export interface LiveResolverOptions {
  client?: DockerClient;
  /** One line for the user when Docker goes away or comes back; names keep working from history. */
  onNotice?: (message: string) => void;
  /** Reconnect delays in ms: doubles from min up to max. */
  backoff?: { minMs: number; maxMs: number };
  /** The name of this daemon's host, carried by every name it gives (several daemons at once). */
  host?: string;
}

/**
 * A Resolver kept current by Docker's event stream. The full topology is read once at connect;
 * after that only the container an event concerns is inspected (one call per container start),
 * so frames never cost a Docker call. Names keep their history (TopologyResolver), so a frame is
 * named as things were when it was seen. When the daemon goes away the resolver keeps answering
 * from what it knew, says so once, and reconnects with backoff.
 */
export class LiveResolver implements Resolver {
  readonly names: TopologyResolver;
  private readonly lookup: WholeSecondResolver;
  private readonly client: DockerClient;
  private readonly notice: (message: string) => void;
  private readonly backoff: { minMs: number; maxMs: number };
  private containers = new Map<string, ContainerInfo>();
  private endpoints = new Map<string, EndpointInfo[]>();
  private networks = new Map<string, NetworkInfo>();
  private unsubscribe?: () => void;
  private queue: Promise<void> = Promise.resolve();
  private retry?: NodeJS.Timeout;
  private delay: number;
  private closed = false;
  private lost = false;
  private listeners = new Set<(change: TopologyChange) => void>();
  /** Whether the event stream is up. */
  connected = false;
  /** The latest full snapshot (refreshed at each connect, kept current by events). */
  private last?: Topology;

  private constructor(opts: LiveResolverOptions) {
    this.client = opts.client ?? dockerClient();
    this.names = new TopologyResolver(undefined, -Infinity, opts.host);
    this.lookup = new WholeSecondResolver(this.names);
    this.notice = opts.onNotice ?? ((m) => process.stderr.write(`bridgescope: ${m}\n`));
    this.backoff = opts.backoff ?? { minMs: 250, maxMs: 5000 };
    this.delay = this.backoff.minMs;
  }

  /** Connects now; if Docker is not there, starts without names and keeps trying. */
  static async start(opts: LiveResolverOptions = {}): Promise<LiveResolver> {
    const r = new LiveResolver(opts);
    await r.connect();
    return r;
  }

  // A frame's whole second is "some time in that second" (see WholeSecondResolver).
  byMac(mac: number, tsSec?: number): Endpoint | undefined {
    return this.lookup.byMac(mac, tsSec);
  }
  byIpv4(ip: number, tsSec?: number): Endpoint | undefined {
    return this.lookup.byIpv4(ip, tsSec);
  }
  byIfIndex(hostIfIndex: number, tsSec?: number): Endpoint | undefined {
    return this.lookup.byIfIndex(hostIfIndex, tsSec);
  }

  byIpv6(bytes: Uint8Array, offset: number, tsSec?: number): Endpoint | undefined {
    return this.lookup.byIpv6(bytes, offset, tsSec);
  }

  /** The current topology, for snapshots written with a capture. */
  snapshot(): Topology | undefined {
    if (!this.last) return undefined;
    return {
      ...this.last,
      capturedAt: new Date().toISOString(),
      networks: [...this.networks.values()],
      containers: [...this.containers.values()],
      endpoints: [...this.endpoints.values()].flat(),
    };
  }

  /** Called after each applied change, in order (following captures, snapshot writers, tests). */
  onChange(listener: (change: TopologyChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits until every event received so far has been applied. */
  settled(): Promise<void> {
    return this.queue;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    this.unsubscribe?.();
    await this.queue;
  }

  private async connect(): Promise<void> {
    const since = Date.now() / 1000;
    try {
      // Subscribe before reading, so nothing that happens during the read is missed.
      this.unsubscribe = await subscribeEvents(
        this.client,
        since,
        (e) => this.enqueue(e),
        () => this.disconnected(),
      );
      const topology = await loadTopology({ client: this.client });
      this.reset(topology, since);
    } catch (err) {
      if (!(err instanceof DockerError)) throw err;
      this.unsubscribe?.();
      this.disconnected(err);
      return;
    }
    this.connected = true;
    this.delay = this.backoff.minMs;
    if (this.lost) this.notice('Docker is back; naming frames again');
    this.lost = false;
    this.changed({ at: since, kind: 'connect', action: 'read', id: '' });
  }

  private disconnected(err?: DockerError): void {
    this.connected = false;
    if (this.closed) return;
    if (!this.lost) {
      this.notice(`${err ? err.message : 'lost the Docker event stream'}; frames keep addresses until Docker is back`);
      this.lost = true;
    }
    this.retry = setTimeout(() => void this.connect(), this.delay);
    this.delay = Math.min(this.delay * 2, this.backoff.maxMs);
  }

  private reset(t: Topology, at: number): void {
    this.last = t;
    this.networks = new Map(t.networks.map((n) => [n.id, n]));
    this.containers = new Map(t.containers.map((c) => [c.id, c]));
    this.endpoints = new Map();
    for (const e of t.endpoints) this.endpoints.set(e.containerId, [...(this.endpoints.get(e.containerId) ?? []), e]);
    this.names.load(t, at);
  }

  private enqueue(e: DockerEvent): void {
    this.queue = this.queue
      .then(() => this.apply(e))
      .catch((err: unknown) => {
        // A container that vanished between its event and our inspect is not an error.
        if (!(err instanceof DockerError)) throw err;
      })
      .then(() => {
        if (e.Type !== 'container' && e.Type !== 'network') return;
        const containerId = e.Type === 'network' ? e.Actor.Attributes?.container : undefined;
        this.changed({ at: eventTimeSec(e), kind: e.Type, action: e.Action, id: e.Actor.ID, containerId });
      });
  }

  private changed(change: Omit<TopologyChange, 'topology'>): void {
    if (this.listeners.size === 0) return;
    const topology = this.snapshot();
    if (!topology) return;
    for (const l of this.listeners) l({ ...change, topology });
  }

  private async apply(e: DockerEvent): Promise<void> {
    const at = eventTimeSec(e);
    if (e.Type === 'container') {
      if (e.Action === 'start') await this.inspect(e.Actor.ID, at);
      else if (e.Action === 'die' || e.Action === 'destroy') this.drop(e.Actor.ID, at, e.Action === 'destroy');
      else if (e.Action.startsWith('rename')) this.rename(e.Actor.ID, e.Actor.Attributes?.name, at);
      return;
    }
    if (e.Type !== 'network') return;
    const containerId = e.Actor.Attributes?.container;
    if ((e.Action === 'connect' || e.Action === 'disconnect') && containerId && this.containers.get(containerId)?.pid) {
      // `docker network connect` on a running container; at start, the start event covers it.
      await this.inspect(containerId, at);
    } else if (e.Action === 'create') {
      const net = networkInfoOf(await this.client.inspectNetwork(e.Actor.ID));
      this.networks.set(net.id, net);
      const host = (await readHostInterfaces()).find((i) => i.name === net.bridge);
      this.names.setGateway(net, host?.mac, host?.ifindex, at);
    } else if (e.Action === 'destroy') {
      this.networks.delete(e.Actor.ID);
      this.names.remove(`net:${e.Actor.ID}`, at);
    }
  }

  private async inspect(id: string, at: number): Promise<void> {
    const inspect = await this.client.inspectContainer(id);
    const info = containerInfoOf(inspect, (ref) => {
      const c = this.containers.get(ref) ?? [...this.containers.values()].find((x) => x.name === ref || x.id.startsWith(ref));
      return c && { id: c.id, name: c.name };
    });
    if (!info.pid) return;
    this.containers.set(id, info);
    const hostByIndex = new Map((await readHostInterfaces()).map((i) => [i.ifindex, i]));
    this.endpoints.set(id, await endpointsOf(inspect, this.networks, hostByIndex));
    this.relabel(at, id);
  }

  /** A stopped container stays in the view (state shown, no addresses); a removed one leaves it. */
  private drop(id: string, at: number, removed: boolean): void {
    const c = this.containers.get(id);
    if (!c) return;
    if (removed) this.containers.delete(id);
    else this.containers.set(id, { ...c, state: 'exited', pid: undefined });
    this.endpoints.delete(id);
    this.names.remove(id, at);
    this.relabel(at);
  }

  private rename(id: string, name: string | undefined, at: number): void {
    const c = this.containers.get(id);
    if (!c || !name) return;
    c.name = name.replace(/^\//, '');
    this.relabel(at, id);
  }

  /** Recomputes "alpha (+sidecar)" labels and re-opens the endpoints whose identity changed. */
  private relabel(at: number, touched?: string): void {
    const before = new Map([...this.containers.values()].map((c) => [c.id, c.label]));
    labelSharers([...this.containers.values()]);
    for (const c of this.containers.values()) {
      if (c.id !== touched && before.get(c.id) === c.label) continue;
      const eps = (this.endpoints.get(c.id) ?? []).map((e) => ({ ...e, container: c.name }));
      this.endpoints.set(c.id, eps);
      this.names.setContainer(containerIdentity(c, this.containers.values()), eps, at);
    }
  }
}
