import type { ComposeIdentity } from './topology.js';

/** A container as a name query sees it: what it is called, not how it is displayed. */
export interface ContainerRef {
  id: string;
  name: string;
  compose?: ComposeIdentity;
}

/**
 * What an address on a Docker bridge belongs to. Produced by src/docker (live daemon) or loaded
 * from a topology snapshot stored with a capture; consumed by presenters and analysis.
 * `label` is presentation only: code that matches a user's name uses model/identity.ts, which
 * accepts every name form (name, id prefix, a sharer's name, compose service, alias).
 */
export interface Endpoint {
  /** Display label: "web-bridge-1", "alpha (+sidecar)" or "gateway (host)". */
  label: string;
  kind: 'container' | 'gateway' | 'host';
  /** The container's own name ("alpha"), never the label. */
  container?: string;
  containerId?: string;
  /** Containers that joined this one's network namespace: their traffic is this endpoint's. */
  sharedWith?: readonly ContainerRef[];
  compose?: ComposeIdentity;
  /** Network-scoped DNS aliases of this endpoint. */
  aliases?: readonly string[];
  network?: string;
  /** Linux bridge the endpoint hangs off (docker0, br-<12 hex>). */
  bridge?: string;
  /** Host-side veth of the container's interface on that network. */
  hostVeth?: string;
  mac?: string;
  ipv4?: string;
  ipv6?: readonly string[];
  /** VNIs of the endpoint's network when it is an overlay: only VXLAN frames of these are named by it. */
  vni?: readonly number[];
  /** The Docker host (daemon) it lives on, when names come from several. */
  host?: string;
}

/** How an endpoint is shown: its label, with its host when names come from several ("alpha@dh1"). */
export function endpointName(e: Pick<Endpoint, 'label' | 'host'>): string {
  return e.host ? `${e.label}@${e.host}` : e.label;
}

/**
 * O(1) lookups from the numbers a decoder reads straight off the wire: a MAC as a 48-bit integer
 * (fits a double exactly), an IPv4 address as an unsigned 32-bit integer, a host ifindex.
 * `tsSec` lets a resolver that tracks topology over time answer as it was when the frame was seen;
 * static resolvers ignore it.
 */
export interface Resolver {
  byMac(mac: number, tsSec?: number): Endpoint | undefined;
  byIpv4(ip: number, tsSec?: number): Endpoint | undefined;
  byIfIndex(hostIfIndex: number, tsSec?: number): Endpoint | undefined;
  /**
   * The IPv6 address at `bytes[offset, offset + 16)` (as the decoder found it: no copy, no text).
   * Optional: a resolver without IPv6 names leaves IPv6 frames to their MACs.
   */
  byIpv6?(bytes: Uint8Array, offset: number, tsSec?: number): Endpoint | undefined;
}

/** The resolver for "no topology known": every frame stays addresses. */
export const noNames: Resolver = {
  byMac: () => undefined,
  byIpv4: () => undefined,
  byIfIndex: () => undefined,
};
