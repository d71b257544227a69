import { formatIpv4Number, formatMacNumber } from '../decode/index.js';
import { ipv4ToNumber, linkLocalOf, macToNumber } from './address.js';
import { Ipv6Keys } from './ipv6-keys.js';
import { WARM_UP_HOSTS, warmUpLookups } from './lookup-warm-up.js';
import type { Endpoint, Resolver } from '../model/endpoint.js';
import { Timeline } from './timeline.js';
import { containerIdentity, type ContainerIdentity } from '../model/identity.js';
import type { ContainerInfo, EndpointInfo, NetworkInfo, Topology } from '../model/topology.js';

/** What one owner (a container, or a network's gateway) contributes to the maps. */
interface OwnedKeys {
  macs: Array<[number, Endpoint]>;
  ips: Array<[number, Endpoint]>;
  /** Keys from `Ipv6Keys`. */
  ip6s: Array<[number, Endpoint]>;
  ifindexes: Array<[number, Endpoint]>;
}

export const GATEWAY_LABEL = 'gateway (host)';

/** The process's first resolver warms the lookup paths up (see warmUpLookups); later ones find them warm. */
let warmed = false;

/**
 * Resolver over a Topology: MAC (48-bit number), IPv4 (uint32) and host ifindex to Endpoint, with
 * history. A snapshot loads with `from = -Infinity`, so replayed frames of any time are named; the
 * live resolver replaces one owner's entries at the time of each Docker event.
 * Owners are container ids and `net:<network id>` for a bridge's own MAC/IP ("gateway (host)").
 */
export class TopologyResolver implements Resolver {
  private readonly macs = new Timeline<Endpoint>();
  private readonly ips = new Timeline<Endpoint>();
  private readonly ip6s = new Timeline<Endpoint>();
  private readonly ip6Keys = new Ipv6Keys();
  private readonly ifindexes = new Timeline<Endpoint>();
  private readonly owned = new Map<string, OwnedKeys>();
  /** Overlay networks' VNIs by network id, as of the last snapshot loaded. */
  private readonly vnis = new Map<string, readonly number[]>();

  /** `host`: the Docker host these names come from, stamped on every endpoint that does not say its own. */
  constructor(topology?: Topology, at = -Infinity, readonly hostName?: string) {
    if (!warmed) {
      warmed = true;
      warmUpLookups(warmUpResolver());
    }
    if (topology) this.load(topology, at);
  }

  /** Makes `topology` the current view from `at`: owners it no longer has are closed. */
  load(topology: Topology, at: number): void {
    const seen = new Set<string>();
    this.vnis.clear();
    for (const net of topology.networks) if (net.vni) this.vnis.set(net.id, net.vni);
    for (const net of topology.networks) {
      const bridge = topology.bridges.find((b) => b.name === net.bridge);
      if (!net.bridge || !bridge) continue;
      seen.add(`net:${net.id}`);
      this.setGateway(net, bridge.mac, bridge.ifindex, at);
    }
    const byContainer = new Map<string, EndpointInfo[]>();
    for (const e of topology.endpoints) byContainer.set(e.containerId, [...(byContainer.get(e.containerId) ?? []), e]);
    const containers = new Map(topology.containers.map((c) => [c.id, c]));
    for (const [id, eps] of byContainer) {
      seen.add(id);
      this.setContainer(identityOf(containers.get(id), eps[0], topology.containers), eps, at);
    }
    for (const owner of [...this.owned.keys()]) if (!seen.has(owner)) this.remove(owner, at);
  }

  /** A container's endpoints from `at` on (after start, rename, network connect/disconnect). */
  setContainer(c: ContainerIdentity, endpoints: EndpointInfo[], at: number): void {
    const keys: OwnedKeys = { macs: [], ips: [], ip6s: [], ifindexes: [] };
    for (const e of endpoints) {
      const ep: Endpoint = {
        label: c.label,
        kind: 'container',
        container: c.name,
        containerId: c.id,
        sharedWith: c.sharedWith,
        compose: c.compose,
        aliases: e.aliases,
        network: e.network,
        bridge: e.bridge,
        hostVeth: e.hostVeth,
        mac: e.mac,
        ipv4: e.ipv4,
        ipv6: e.ipv6,
        vni: this.vnis.get(e.networkId),
        host: e.host ?? this.hostName,
      };
      if (e.mac) keys.macs.push([macToNumber(e.mac), ep]);
      if (e.ipv4) keys.ips.push([ipv4ToNumber(e.ipv4), ep]);
      for (const a of e.ipv6 ?? []) keys.ip6s.push([this.ip6Keys.intern(a), ep]);
      if (e.hostIfIndex) keys.ifindexes.push([e.hostIfIndex, ep]);
    }
    this.replace(c.id, keys, at);
  }

  /** The bridge's own MAC and IP, and the bridge interface itself, are the host's gateway. */
  setGateway(net: NetworkInfo, bridgeMac: string | undefined, bridgeIfIndex: number | undefined, at: number): void {
    // A dual-stack bridge answers from its IPAM gateway and from the link-local address of its MAC.
    const ipv6 = net.gateway6 || net.subnet6 ? [...(net.gateway6 ? [net.gateway6] : []), ...(bridgeMac ? [linkLocalOf(bridgeMac)] : [])] : [];
    const ep: Endpoint = {
      label: GATEWAY_LABEL,
      kind: 'gateway',
      network: net.name,
      bridge: net.bridge,
      mac: bridgeMac,
      ipv4: net.gateway,
      ipv6: ipv6.length ? ipv6 : undefined,
    };
    this.replace(`net:${net.id}`, {
      macs: bridgeMac ? [[macToNumber(bridgeMac), ep]] : [],
      ips: net.gateway ? [[ipv4ToNumber(net.gateway), ep]] : [],
      ip6s: ipv6.map((a) => [this.ip6Keys.intern(a), ep]),
      ifindexes: bridgeIfIndex ? [[bridgeIfIndex, ep]] : [],
    }, at);
  }

  /** The owner is gone from `at` (container died, network removed). */
  remove(owner: string, at: number): void {
    const old = this.owned.get(owner);
    if (!old) return;
    for (const [k, v] of old.macs) this.macs.close(k, v, at);
    for (const [k, v] of old.ips) this.ips.close(k, v, at);
    for (const [k, v] of old.ip6s) this.ip6s.close(k, v, at);
    for (const [k, v] of old.ifindexes) this.ifindexes.close(k, v, at);
    this.owned.delete(owner);
  }

  private replace(owner: string, keys: OwnedKeys, at: number): void {
    this.remove(owner, at);
    for (const [k, v] of keys.macs) this.macs.open(k, v, at);
    for (const [k, v] of keys.ips) this.ips.open(k, v, at);
    for (const [k, v] of keys.ip6s) this.ip6s.open(k, v, at);
    for (const [k, v] of keys.ifindexes) this.ifindexes.open(k, v, at);
    this.owned.set(owner, keys);
  }

  byMac(mac: number, tsSec?: number): Endpoint | undefined {
    return this.macs.get(mac, tsSec);
  }

  byIpv4(ip: number, tsSec?: number): Endpoint | undefined {
    return this.ips.get(ip, tsSec);
  }

  byIfIndex(hostIfIndex: number, tsSec?: number): Endpoint | undefined {
    return this.ifindexes.get(hostIfIndex, tsSec);
  }

  byIpv6(bytes: Uint8Array, offset: number, tsSec?: number): Endpoint | undefined {
    const key = this.ip6Keys.find(bytes, offset);
    return key < 0 ? undefined : this.ip6s.get(key, tsSec);
  }
}

/** A throwaway resolver that names the warm-up's two hosts. */
function warmUpResolver(): TopologyResolver {
  const names = new TopologyResolver();
  for (const [id, host] of Object.entries({ low: WARM_UP_HOSTS.low, high: WARM_UP_HOSTS.high })) {
    const endpoint: EndpointInfo = { containerId: id, container: id, network: 'warm-up', networkId: 'warm-up', mac: formatMacNumber(host.mac), ipv4: formatIpv4Number(host.ip) };
    names.setContainer({ id, name: id, label: id, sharedWith: [] }, [endpoint], -Infinity);
  }
  return names;
}

/** A snapshot's endpoints without their container (hand-made or damaged files) still get a name. */
function identityOf(c: ContainerInfo | undefined, e: EndpointInfo, all: readonly ContainerInfo[]): ContainerIdentity {
  if (c) return containerIdentity(c, all);
  return { id: e.containerId, name: e.container, label: e.container, sharedWith: [] };
}

/** The last microsecond of a second: epoch seconds as doubles resolve about 0.24 µs, not 1 ns. */
const END_OF_SECOND = 0.999_999;

/**
 * Presenters and analysis pass a frame's whole second (FrameBatch.tsSec), while names open and
 * close at the fractional time of a connect, an event or a snapshot. Taken as an instant, the
 * whole second would leave unnamed every frame of the second in which the capture or a container
 * started (the first lines of a `trace`). So a whole second means "some time in that second": the
 * name held at its end if any (a container that started in it), else the one it began with (one
 * that died in it). A fractional time is an instant, as the Resolver contract says. The live view
 * and a replay of its file both answer through this, so they name the same frames.
 */
export class WholeSecondResolver implements Resolver {
  constructor(readonly names: TopologyResolver) {}

  byMac(mac: number, tsSec?: number): Endpoint | undefined {
    if (tsSec === undefined || !Number.isInteger(tsSec)) return this.names.byMac(mac, tsSec);
    return this.names.byMac(mac, tsSec + END_OF_SECOND) ?? this.names.byMac(mac, tsSec);
  }
  byIpv4(ip: number, tsSec?: number): Endpoint | undefined {
    if (tsSec === undefined || !Number.isInteger(tsSec)) return this.names.byIpv4(ip, tsSec);
    return this.names.byIpv4(ip, tsSec + END_OF_SECOND) ?? this.names.byIpv4(ip, tsSec);
  }
  byIfIndex(hostIfIndex: number, tsSec?: number): Endpoint | undefined {
    if (tsSec === undefined || !Number.isInteger(tsSec)) return this.names.byIfIndex(hostIfIndex, tsSec);
    return this.names.byIfIndex(hostIfIndex, tsSec + END_OF_SECOND) ?? this.names.byIfIndex(hostIfIndex, tsSec);
  }
  byIpv6(bytes: Uint8Array, offset: number, tsSec?: number): Endpoint | undefined {
    if (tsSec === undefined || !Number.isInteger(tsSec)) return this.names.byIpv6(bytes, offset, tsSec);
    return this.names.byIpv6(bytes, offset, tsSec + END_OF_SECOND) ?? this.names.byIpv6(bytes, offset, tsSec);
  }
}
