import { openCapture, type InterfaceEnd, type LiveCaptureSource } from '../capture/index.js';
import type { HostMergeSource, HostPart } from '../capture/host-merge-source.js';
import { NetnsCaptureSource } from '../capture/netns-source.js';
import { DockerClient, dockerode } from '../docker/client.js';
import type { Daemon } from '../docker/daemons.js';
import { findNetwork } from '../docker/targets.js';
import { interfaceWithAddress } from '../host/netns.js';
import { findContainers } from '../model/identity.js';
import type { ContainerInfo, EndpointInfo, NetworkInfo, Topology } from '../model/topology.js';
import { sanitize } from '../present/sanitize.js';
import { openRemote, type SshSettings } from './host-capture.js';
import { netnsInterfaceName, runsHere, swarmNodeAddresses, underlayInterfaces, vxlanFilter } from './overlay-points.js';

/**
 * A capture target naming an overlay network (with -H/--context for the daemons it spans): its
 * traffic captured where it can be seen. On this machine, the underlay interfaces the VXLAN
 * between the hosts' Swarm node addresses crosses, filtered to the overlay's VNIs; inside the
 * namespace of each container on it whose process runs here, its interface on that network (the
 * one holding its address there); for a container on a host reached by ssh (`-H ssh://`), a remote
 * capture of it (`host:container`). Each is a part of the session's HostMergeSource, so the copy
 * merge makes one frame with its hops of the copies. Members are followed: a container that joins
 * later (or restarts) gets a part, one that leaves or stops has its part closed.
 */

export interface OverlayCaptureOptions {
  daemons: readonly Daemon[];
  /** The user's -f: on the containers' interfaces; the underlay has the overlay's VXLAN filter. */
  filter?: string;
  snaplen?: number;
  bufferSize?: number;
  immediate?: boolean;
  ssh?: SshSettings;
  notice: (m: string) => void;
  /** An underlay interface of this machine ended by itself (its lane is ended through the merge). */
  onInterfaceEnd: (end: InterfaceEnd) => void;
}

/** Targets that name an overlay network one of the -H daemons has, and the others (a container or interface of that name wins, as in resolveTarget). */
export function splitOverlays(targets: readonly string[], topology: Topology | undefined, daemons: readonly Daemon[] | undefined): { overlays: NetworkInfo[]; rest: string[] } {
  const overlays: NetworkInfo[] = [];
  const rest: string[] = [];
  for (const q of targets) {
    const named = !topology || !daemons?.length || topology.interfaces.some((i) => i.name === q) || findContainers(q, topology.containers, topology.endpoints).kind !== 'none';
    const net = named ? undefined : findNetwork(q, topology!);
    if (net?.driver !== 'overlay') rest.push(q);
    else if (!overlays.some((o) => o.id === net.id)) overlays.push(net);
  }
  return { overlays, rest };
}

interface Member {
  container: ContainerInfo;
  endpoint: EndpointInfo;
  network: NetworkInfo;
  host: string;
}

export class OverlayCapture {
  /** Parts to join the timeline at start; later ones go straight to the merge. */
  readonly parts: HostPart[] = [];
  readonly interfaces: string[] = [];
  private readonly opened = new Map<string, { part: HostPart; m: Member }>();
  /** Members not captured in their namespace, said once each. */
  private readonly unreachable = new Set<string>();
  private merge?: HostMergeSource;
  private applying = Promise.resolve();
  private closed = false;
  private underlay?: LiveCaptureSource;
  /** What the capture covers at start, for the "capturing on" line. */
  description = '';

  private constructor(
    private readonly networks: NetworkInfo[],
    private readonly opts: OverlayCaptureOptions,
  ) {}

  /** Opens the underlay capture and one capture per member; resolves once each listens. */
  static async open(networks: NetworkInfo[], topology: Topology, opts: OverlayCaptureOptions): Promise<OverlayCapture> {
    const o = new OverlayCapture(networks, opts);
    try {
      await o.openUnderlay();
      for (const m of o.membersOf(topology)) await o.join(m, false);
    } catch (err) {
      await o.close();
      throw err;
    }
    const members = [...o.opened.values()].map(({ part }) => sanitize(part.source.label));
    o.description = networks.map((n) => `overlay ${sanitize(n.name)} (VNI ${n.vni?.join(', ') ?? '?'})`).join(', ') +
      (o.underlay ? ` on underlay ${o.underlay.interfaces.map((i) => sanitize(i.name ?? '')).join(', ')}` : '') +
      (members.length ? ` and ${members.join(', ')}` : '');
    return o;
  }

  /** From now on, members that join are added to this merge. */
  attach(merge: HostMergeSource): void {
    this.merge = merge;
  }

  /** After a topology change: members that came are captured, those gone have their part closed. */
  apply(t: Topology): void {
    this.applying = this.applying.then(() => this.step(t)).catch((err: Error) => this.opts.notice(`overlay capture: ${sanitize(err.message)}`));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.applying;
    if (!this.merge) await Promise.all([this.underlay?.close(), ...[...this.opened.values()].map((o) => o.part.source.close())]);
  }

  private async step(t: Topology): Promise<void> {
    if (this.closed) return;
    const now = this.membersOf(t);
    const keys = new Set(now.map(keyOf));
    for (const [key, { part, m }] of this.opened) {
      if (keys.has(key)) continue;
      this.opened.delete(key);
      this.opts.notice(`${sanitize(m.container.name)}@${sanitize(m.host)} left ${sanitize(m.network.name)} or stopped: its capture on ${sanitize(part.source.label)} ended`);
      await part.source.close();
    }
    for (const m of now) if (!this.opened.has(keyOf(m))) await this.join(m, true);
  }

  /** Running containers with an address on one of the networks; a restart is a new member (a new namespace). */
  private membersOf(t: Topology): Member[] {
    const out: Member[] = [];
    for (const network of this.networks) {
      for (const e of t.endpoints.filter((x) => x.networkId === network.id && x.ipv4)) {
        const container = t.containers.find((c) => c.id === e.containerId);
        if (container?.state === 'running') out.push({ container, endpoint: e, network, host: e.host ?? '' });
      }
    }
    return out;
  }

  private async openUnderlay(): Promise<void> {
    const clients = new Map(this.opts.daemons.map((d) => [d.name, new DockerClient(new (dockerode())(d.options))]));
    const nodes = [...(await swarmNodeAddresses(clients)).values()];
    const vnis = this.networks.flatMap((n) => n.vni ?? []);
    const where = await underlayInterfaces(nodes);
    if (where.all.length === 0) {
      this.opts.notice(nodes.length === 0
        ? 'none of the -H hosts is in a Swarm: the underlay is not captured'
        : `no interface of this machine carries VXLAN to ${nodes.join(', ')}: the underlay is not captured`);
      return;
    }
    const source = openCapture(where.all, {
      filter: vxlanFilter(nodes, vnis), snaplen: this.opts.snaplen, bufferSize: this.opts.bufferSize, immediate: this.opts.immediate,
      holdOpen: true, onInterfaceEnd: this.opts.onInterfaceEnd,
    }) as LiveCaptureSource;
    for (const i of source.interfaces) i.description ??= `underlay of ${this.networks.map((n) => n.name).join(', ')}`;
    this.underlay = source;
    this.parts.push({ source, endReasons: () => source.endReasons() });
    this.interfaces.push(...where.all);
  }

  /** Captures one member where this machine can: its namespace, else over ssh; else says why not. */
  private async join(m: Member, later: boolean): Promise<void> {
    const key = keyOf(m);
    const who = `${m.container.name}@${m.host}`;
    const part = (await runsHere(m.container)) ? await this.inNamespace(m) : this.overSsh(m);
    if (typeof part === 'string') {
      if (!this.unreachable.has(key)) this.opts.notice(`${sanitize(who)} is not captured in its namespace: ${sanitize(part)}`);
      this.unreachable.add(key);
      return;
    }
    if (this.closed) return void part.source.close();
    this.opened.set(key, { part, m });
    this.interfaces.push(part.source.label);
    if (later) this.opts.notice(`${sanitize(who)} joined ${sanitize(m.network.name)}: now also on ${sanitize(part.source.label)}`);
    if (this.merge) this.merge.addPart(part);
    else this.parts.push(part);
  }

  private async inNamespace(m: Member): Promise<HostPart | string> {
    const pid = m.container.pid!;
    const ifname = (await interfaceWithAddress(pid, m.endpoint.ipv4!)) ?? m.endpoint.ifname ?? 'eth0';
    const s = await NetnsCaptureSource.start(pid, ifname, netnsInterfaceName(ifname, m.container.name), { filter: this.opts.filter, snaplen: this.opts.snaplen });
    return typeof s === 'string' ? s : { source: s, ended: () => s.ended };
  }

  /** A member on a host reached by ssh: the remote capture of `host:container` there (its eth0). */
  private overSsh(m: Member): HostPart | string {
    const d = this.opts.daemons.find((x) => x.name === m.host);
    if (d?.options.protocol !== 'ssh' || typeof d.options.host !== 'string') {
      return `its process is not on this machine and ${m.host} is not reached over ssh (-H ssh://...); its VXLAN is seen on the underlay`;
    }
    // 22 is what daemonFromUrl fills in when the URL has no port: leave it to the user's ssh_config then.
    const port = d.options.port === undefined || Number(d.options.port) === 22 ? undefined : Number(d.options.port);
    const dest = { host: d.options.host, user: d.options.username, port };
    const hosts = new Map(this.opts.ssh?.hosts ?? []);
    if (!hosts.has(dest.host)) hosts.set(dest.host, dest);
    const r = openRemote(`${dest.host}:${m.container.name}`, { filter: this.opts.filter, snaplen: this.opts.snaplen, ssh: { ...this.opts.ssh, hosts } });
    return { source: r, ended: () => r.ended };
  }
}

const keyOf = (m: Member) => `${m.host}/${m.container.id}/${m.network.id}/${m.container.pid ?? ''}`;
