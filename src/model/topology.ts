/**
 * The host's Docker networking at one moment, as plain JSON-serialisable data. This IS the
 * snapshot format stored with captures (pcapng custom block, or FILE.topology.json beside a
 * classic pcap), so it must stay readable without Docker: no class instances, no dockerode types.
 * Addresses are strings as `ip` prints them (MACs lower-case colon-separated, IPv4 dotted).
 * Bump TOPOLOGY_VERSION when a field changes meaning; readers refuse versions they do not know.
 */
export const TOPOLOGY_VERSION = 2;
/** Versions a reader still accepts; older ones are upgraded on load (snapshot.ts). */
export const READABLE_TOPOLOGY_VERSIONS: readonly number[] = [1, 2];

export interface Topology {
  version: typeof TOPOLOGY_VERSION;
  /** ISO 8601 time the snapshot was taken. */
  capturedAt: string;
  hostname?: string;
  /** Docker Engine version, when Docker answered. */
  dockerVersion?: string;
  interfaces: HostInterface[];
  bridges: BridgeInfo[];
  networks: NetworkInfo[];
  containers: ContainerInfo[];
  endpoints: EndpointInfo[];
  /** IPv4 routes of the host's main table (what `ip -j route` prints). */
  routes: RouteInfo[];
  /** IPv6 routes of the main table (`ip -j -6 route`); absent in snapshots older than IPv6 support. */
  routes6?: RouteInfo[];
}

export interface HostInterface {
  name: string;
  ifindex: number;
  mac?: string;
  /** Link kind as `ip -d link` reports it: bridge, veth, ... absent for physical NICs. */
  kind?: string;
  /** Bridge this interface is a port of. */
  master?: string;
  /** For a veth: ifindex of its peer (in the peer's namespace). */
  peerIfIndex?: number;
  /** IPv4 addresses as CIDR ("172.30.0.1/16"). */
  ipv4: string[];
  /** IPv6 addresses of global scope as CIDR ("fd00::2/64"); absent in topologies recorded before they were read. */
  ipv6?: string[];
  up: boolean;
}

export interface BridgeInfo {
  name: string;
  ifindex: number;
  mac?: string;
  ipv4: string[];
  /** Docker network this bridge carries, when it is one. */
  network?: string;
  ports: BridgePort[];
}

export interface BridgePort {
  /** Host interface name (a veth for Docker containers). */
  name: string;
  ifindex: number;
  mac?: string;
  /** Name of the container on the other end, when it is one. */
  container?: string;
  /** MACs the bridge learned on this port (non-permanent fdb entries). */
  learned: LearnedMac[];
}

export interface LearnedMac {
  mac: string;
  /** Who owns that MAC, when a container does. */
  container?: string;
}

export interface NetworkInfo {
  id: string;
  name: string;
  driver: string;
  subnet?: string;
  gateway?: string;
  /** IPv6 subnet and gateway of a dual-stack network (`--ipv6`), from its IPAM config. */
  subnet6?: string;
  gateway6?: string;
  /** Linux bridge of a bridge-driver network: docker0, br-<12 hex of id>, or the name option. */
  bridge?: string;
  /** An overlay network's VXLAN network identifiers (its `vxlanid_list` option): what ties a VXLAN frame to it. */
  vni?: number[];
}

export type NetworkMode =
  | { kind: 'bridge' }
  | { kind: 'host' }
  | { kind: 'none' }
  /** Shares the network namespace of another container (`--network container:X`). */
  | { kind: 'container'; container: string; containerId: string };

/** The compose project and service of a container, from its `com.docker.compose.*` labels. */
export interface ComposeIdentity {
  project: string;
  service: string;
}

export interface ContainerInfo {
  id: string;
  name: string;
  /** Presentation only ("alpha (+sidecar)"); match names with model/identity.ts, never this. */
  label: string;
  image: string;
  state: string;
  pid?: number;
  networkMode: NetworkMode;
  /** Names of containers that joined this one's network namespace. */
  sharedWith: string[];
  compose?: ComposeIdentity;
}

/** One container's interface on one network. */
export interface EndpointInfo {
  containerId: string;
  /** Container name (version 1 snapshots stored the display label here; snapshot.ts upgrades). */
  container: string;
  network: string;
  networkId: string;
  bridge?: string;
  /** Interface name inside the container (eth0, eth1). */
  ifname?: string;
  mac?: string;
  ipv4?: string;
  prefixLen?: number;
  /**
   * IPv6 addresses of this interface, global (Docker's GlobalIPv6Address) first, then the
   * link-local one (read from the interface, else derived from the MAC as the kernel does, EUI-64).
   */
  ipv6?: string[];
  /** Network-scoped DNS aliases Docker gives this endpoint (compose adds the service name). */
  aliases?: string[];
  /** Host-side veth: found from the container interface's iflink, never guessed. */
  hostVeth?: string;
  hostIfIndex?: number;
  /** The Docker host (daemon) this endpoint was read from, when names come from several. */
  host?: string;
}

export interface RouteInfo {
  dst: string;
  dev?: string;
  gateway?: string;
  prefsrc?: string;
}
