import type { DecodedFrame } from '../decode/index.js';
import type { Endpoint, Resolver } from '../model/endpoint.js';

/**
 * Who sent and who receives a frame, as endpoints. The IP layer wins over the link layer: a
 * routed frame carries the gateway's MAC but the far container's IP, and users want the
 * container. Lookups are map hits on numbers the decoder already read; nothing is allocated.
 */
export function sourceEndpoint(f: DecodedFrame, r: Resolver, tsSec: number): Endpoint | undefined {
  const ip = f.ipv4;
  if (ip === null || f.ipv6 !== null || f.vxlan.count !== 0) return otherSource(f, r, tsSec);
  return r.byIpv4(ip.srcNum, tsSec) ?? byMac(r, f.srcMacNum, tsSec);
}

export function destinationEndpoint(f: DecodedFrame, r: Resolver, tsSec: number): Endpoint | undefined {
  const ip = f.ipv4;
  if (ip === null || f.ipv6 !== null || f.vxlan.count !== 0) return otherDestination(f, r, tsSec);
  return r.byIpv4(ip.dstNum, tsSec) ?? byMac(r, f.dstMacNum, tsSec);
}

/*
 * A plain IPv4 frame, nearly every frame of a bridge, is named above in a function small enough
 * for the optimiser to inline into a caller's frame loop; the rest (IPv6, ARP, tunnels) are here.
 */

function otherSource(f: DecodedFrame, r: Resolver, tsSec: number): Endpoint | undefined {
  if (f.ipv6 && r.byIpv6) {
    const byIp = inTunnel(f, r.byIpv6(f.bytes, f.ipv6.srcOffset, tsSec));
    if (byIp) return byIp;
  } else if (f.ipv4) {
    const byIp = inTunnel(f, r.byIpv4(f.ipv4.srcNum, tsSec));
    if (byIp) return byIp;
  } else if (f.arp?.isEthernetIpv4 && f.arp.senderIpNum !== 0) {
    const byIp = inTunnel(f, r.byIpv4(f.arp.senderIpNum, tsSec));
    if (byIp) return byIp;
  }
  return inTunnel(f, byMac(r, f.srcMacNum, tsSec));
}

function otherDestination(f: DecodedFrame, r: Resolver, tsSec: number): Endpoint | undefined {
  if (f.ipv6 && r.byIpv6) {
    const byIp = inTunnel(f, r.byIpv6(f.bytes, f.ipv6.dstOffset, tsSec));
    if (byIp) return byIp;
  } else if (f.ipv4) {
    const byIp = inTunnel(f, r.byIpv4(f.ipv4.dstNum, tsSec));
    if (byIp) return byIp;
  }
  return inTunnel(f, byMac(r, f.dstMacNum, tsSec));
}

function byMac(r: Resolver, mac: number | undefined, tsSec: number): Endpoint | undefined {
  return mac === undefined ? undefined : r.byMac(mac, tsSec);
}

/** Name of an IPv6 address at `bytes[offset]` (an ND target, a quoted datagram's), or undefined. */
export function ipv6Label(bytes: Uint8Array, offset: number, r: Resolver, tsSec: number): string | undefined {
  return r.byIpv6?.(bytes, offset, tsSec)?.label;
}

/**
 * A VXLAN frame's inner addresses belong to the overlay its VNI names: an endpoint of another
 * network (a bridge container that happens to have the same address) does not name it.
 */
function inTunnel(f: DecodedFrame, e: Endpoint | undefined): Endpoint | undefined {
  const t = f.vxlan;
  if (!e || t.count === 0) return e;
  return e.vni?.includes(t.vni(t.count - 1)) ? e : undefined;
}

/** Name of an IPv4 address in frame f's ARP or ICMP payload ("172.30.0.11 (web-bridge-2)"), or undefined. */
export function ipv4Label(f: DecodedFrame, ip: number, r: Resolver, tsSec: number): string | undefined {
  return inTunnel(f, r.byIpv4(ip, tsSec))?.label;
}
