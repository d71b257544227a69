import { internetChecksum } from '../../src/decode/index.js';

/**
 * VXLAN frames as a Docker overlay sends them: the underlay's Ethernet/IPv4/UDP, the 8-byte VXLAN
 * header, then the container's own Ethernet frame. Checksums are real, so tshark reads them clean.
 */
export interface Tunnel {
  vni: number;
  outerSrc: [number, number, number, number];
  outerDst: [number, number, number, number];
  dstPort?: number;
  srcPort?: number;
}

const MAC_H1 = [0x02, 0x42, 0x0a, 0xe7, 0x00, 0x0b];
const MAC_H2 = [0x02, 0x42, 0x0a, 0xe7, 0x00, 0x0c];

function ipv4(src: number[], dst: number[], proto: number, payload: number[], ttl = 64): number[] {
  const total = 20 + payload.length;
  const h = [0x45, 0, total >> 8, total & 255, 0, 1, 0x40, 0, ttl, proto, 0, 0, ...src, ...dst];
  const sum = internetChecksum(Uint8Array.from(h), 0, 20);
  h[10] = sum >> 8;
  h[11] = sum & 255;
  return [...h, ...payload];
}

export function encapsulate(t: Tunnel, inner: Uint8Array): Uint8Array {
  const sport = t.srcPort ?? 40000;
  const dport = t.dstPort ?? 4789;
  const vx = [0x08, 0, 0, 0, (t.vni >> 16) & 255, (t.vni >> 8) & 255, t.vni & 255, 0];
  const udpLen = 8 + vx.length + inner.length;
  // UDP checksum 0: allowed over IPv4 and what Linux's VXLAN sends by default.
  const udp = [sport >> 8, sport & 255, dport >> 8, dport & 255, udpLen >> 8, udpLen & 255, 0, 0];
  return Uint8Array.from([...MAC_H2, ...MAC_H1, 0x08, 0x00, ...ipv4(t.outerSrc, t.outerDst, 17, [...udp, ...vx, ...inner])]);
}

export function innerEcho(srcMac: number[], dstMac: number[], src: number[], dst: number[], type: 8 | 0, seq: number): Uint8Array {
  const icmp = [type, 0, 0, 0, 0x12, 0x34, seq >> 8, seq & 255, ...Array.from({ length: 16 }, (_, i) => i)];
  const sum = internetChecksum(Uint8Array.from(icmp), 0, icmp.length);
  icmp[2] = sum >> 8;
  icmp[3] = sum & 255;
  return Uint8Array.from([...dstMac, ...srcMac, 0x08, 0x00, ...ipv4(src, dst, 1, icmp)]);
}

export function innerArpRequest(srcMac: number[], src: number[], target: number[]): Uint8Array {
  return Uint8Array.from([255, 255, 255, 255, 255, 255, ...srcMac, 0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1, ...srcMac, ...src,
    0, 0, 0, 0, 0, 0, ...target]);
}

export function innerArpReply(srcMac: number[], src: number[], dstMac: number[], dst: number[]): Uint8Array {
  return Uint8Array.from([...dstMac, ...srcMac, 0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 2, ...srcMac, ...src, ...dstMac, ...dst]);
}

/** Two containers on an overlay (10.0.1.0/24, Docker's MAC scheme 02:42:<ip>), hosts on 10.231.0.0/24. */
export const OVERLAY = {
  alphaMac: [0x02, 0x42, 0x0a, 0x00, 0x01, 0x02],
  betaMac: [0x02, 0x42, 0x0a, 0x00, 0x01, 0x03],
  alpha: [10, 0, 1, 2],
  beta: [10, 0, 1, 3],
  h1: [10, 231, 0, 11] as [number, number, number, number],
  h2: [10, 231, 0, 12] as [number, number, number, number],
  vni: 4097,
};

/** alpha pings beta once across the overlay: ARP, reply, echo request, echo reply (alpha on h1, beta on h2). */
export function overlayPing(dstPort = 4789): Uint8Array[] {
  const o = OVERLAY;
  const there = { vni: o.vni, outerSrc: o.h1, outerDst: o.h2, dstPort };
  const back = { vni: o.vni, outerSrc: o.h2, outerDst: o.h1, dstPort };
  return [
    encapsulate(there, innerArpRequest(o.alphaMac, o.alpha, o.beta)),
    encapsulate(back, innerArpReply(o.betaMac, o.beta, o.alphaMac, o.alpha)),
    encapsulate(there, innerEcho(o.alphaMac, o.betaMac, o.alpha, o.beta, 8, 1)),
    encapsulate(back, innerEcho(o.betaMac, o.alphaMac, o.beta, o.alpha, 0, 1)),
  ];
}
