import { internetChecksum } from '../../src/decode/index.js';

/** IPv6 test frames built from parts: addresses as text, ICMPv6 checksums computed (RFC 4443 §2.3). */
export function ip6(text: string): number[] {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const words = (s: string | undefined) => (s ? s.split(':').map((w) => parseInt(w, 16)) : []);
  const h = words(head);
  const t = words(tail);
  const all = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill(0), ...t];
  return all.flatMap((w) => [w >> 8, w & 255]);
}

export const MAC_A = [0x02, 0x42, 0xac, 0x1c, 0x05, 0x02];
export const MAC_B = [0x02, 0x42, 0xac, 0x1c, 0x05, 0x03];

export interface Ipv6Parts {
  src: string;
  dst: string;
  /** Extension headers before the upper layer: [type, bytes after next-header] (bytes include the length byte). */
  ext?: [number, number[]][];
  next: number;
  payload: number[];
  hopLimit?: number;
  srcMac?: number[];
  dstMac?: number[];
}

/** The IPv6 datagram (no Ethernet header). */
export function ipv6Datagram(p: Ipv6Parts): number[] {
  const ext = p.ext ?? [];
  const types = [...ext.map((e) => e[0]), p.next];
  const body: number[] = [];
  ext.forEach(([, bytes], i) => body.push(types[i + 1], ...bytes));
  const upper = [...p.payload];
  if (p.next === 58 && upper.length >= 4) {
    const src = ip6(p.src);
    const dst = ip6(p.dst);
    const len = upper.length;
    const pseudo = Uint8Array.from([...src, ...dst, 0, 0, len >> 8, len & 255, 0, 0, 0, 58, ...upper]);
    const sum = internetChecksum(pseudo, 0, pseudo.length);
    upper[2] = sum >> 8;
    upper[3] = sum & 255;
  }
  body.push(...upper);
  const first = ext.length ? ext[0][0] : p.next;
  return [0x60, 0, 0, 0, body.length >> 8, body.length & 255, first, p.hopLimit ?? 255, ...ip6(p.src), ...ip6(p.dst), ...body];
}

export function ipv6Frame(p: Ipv6Parts): Uint8Array {
  return Uint8Array.from([...(p.dstMac ?? MAC_B), ...(p.srcMac ?? MAC_A), 0x86, 0xdd, ...ipv6Datagram(p)]);
}

export const echo6 = (type: 128 | 129, id: number, seq: number, data: number[] = [1, 2, 3, 4]) => [type, 0, 0, 0, id >> 8, id & 255, seq >> 8, seq & 255, ...data];

export function neighborSolicitation(target: string, sll?: number[]): number[] {
  return [135, 0, 0, 0, 0, 0, 0, 0, ...ip6(target), ...(sll ? [1, 1, ...sll] : [])];
}

export function neighborAdvertisement(target: string, flags: number, tll?: number[]): number[] {
  return [136, 0, 0, 0, flags, 0, 0, 0, ...ip6(target), ...(tll ? [2, 1, ...tll] : [])];
}

/** Solicited-node multicast group of an address (RFC 4291 §2.7.1). */
export function solicitedNode(addr: string): string {
  const b = ip6(addr);
  const h = (i: number) => b[i].toString(16).padStart(2, '0');
  return `ff02::1:ff${h(13)}:${h(14)}${h(15)}`;
}

const EDGE_A = 'fd42:b5::2';
const EDGE_B = 'fd42:b5::3';
const LL_A = 'fe80::42:acff:fe1c:502';
const ROUTER = 'fe80::1';

/** Frames a dual-stack bridge sees, plus the errors and extension headers a host can send. */
export function ipv6EdgeCases(): Uint8Array[] {
  const request = ipv6Datagram({ src: EDGE_A, dst: EDGE_B, next: 58, payload: echo6(128, 6, 0), hopLimit: 64 });
  const quote = (type: number, code: number, word: number[]) => [type, code, 0, 0, ...word, ...request];
  const hbhRouterAlert = [0, 5, 2, 0, 0, 1, 0]; // len 0, Router Alert (MLD), PadN 0
  const ra = [134, 0, 0, 0, 64, 0x80, 0x07, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, ...MAC_B, 5, 1, 0, 0, 0, 0, 0x05, 0xdc,
    3, 4, 64, 0xc0, 0, 0, 0x1c, 0x20, 0, 0, 0x0e, 0x10, 0, 0, 0, 0, ...ip6('fd42:b5::')];
  return [
    ipv6Frame({ src: EDGE_A, dst: solicitedNode(EDGE_B), next: 58, payload: neighborSolicitation(EDGE_B, MAC_A), dstMac: [0x33, 0x33, 0xff, 0, 0, 3] }),
    ipv6Frame({ src: EDGE_B, dst: EDGE_A, next: 58, payload: neighborAdvertisement(EDGE_B, 0x60, MAC_B), srcMac: MAC_B, dstMac: MAC_A }),
    ipv6Frame({ src: '::', dst: solicitedNode(EDGE_A), next: 58, payload: neighborSolicitation(EDGE_A) }),
    ipv6Frame({ src: EDGE_A, dst: EDGE_B, next: 58, payload: echo6(128, 6, 0), hopLimit: 64 }),
    ipv6Frame({ src: EDGE_B, dst: EDGE_A, next: 58, payload: echo6(129, 6, 0), hopLimit: 64 }),
    ipv6Frame({ src: ROUTER, dst: EDGE_A, next: 58, payload: quote(1, 3, [0, 0, 0, 0]) }),
    ipv6Frame({ src: ROUTER, dst: EDGE_A, next: 58, payload: quote(2, 0, [0, 0, 0x05, 0x00]) }),
    ipv6Frame({ src: ROUTER, dst: EDGE_A, next: 58, payload: quote(3, 0, [0, 0, 0, 0]) }),
    ipv6Frame({ src: ROUTER, dst: EDGE_A, next: 58, payload: quote(4, 1, [0, 0, 0, 6]) }),
    ipv6Frame({ src: LL_A, dst: 'ff02::2', next: 58, payload: [133, 0, 0, 0, 0, 0, 0, 0, 1, 1, ...MAC_A] }),
    ipv6Frame({ src: ROUTER, dst: 'ff02::1', next: 58, payload: ra }),
    ipv6Frame({ src: ROUTER, dst: EDGE_A, next: 58, payload: [137, 0, 0, 0, 0, 0, 0, 0, ...ip6('fe80::2'), ...ip6(EDGE_B), 2, 1, ...MAC_B] }),
    ipv6Frame({ src: LL_A, dst: 'ff02::16', ext: [[0, hbhRouterAlert]], next: 58, payload: [143, 0, 0, 0, 0, 0, 0, 1, 4, 0, 0, 0, ...ip6('ff02::1:ff1c:502')], hopLimit: 1 }),
    ipv6Frame({ src: LL_A, dst: 'ff02::1:ff1c:502', ext: [[0, hbhRouterAlert]], next: 58, payload: [131, 0, 0, 0, 0, 0, 0, 0, ...ip6('ff02::1:ff1c:502')], hopLimit: 1 }),
    ipv6Frame({ src: EDGE_A, dst: EDGE_B, ext: [[0, [0, 1, 4, 0, 0, 0, 0]], [60, [0, 1, 4, 0, 0, 0, 0]]], next: 58, payload: echo6(128, 7, 1), hopLimit: 64 }),
    ipv6Frame({ src: EDGE_A, dst: EDGE_B, ext: [[44, [0, 0, 1, 0x12, 0x34, 0x56, 0x78]]], next: 58, payload: echo6(128, 8, 2, Array(16).fill(0x61)), hopLimit: 64 }),
    ipv6Frame({ src: EDGE_A, dst: EDGE_B, ext: [[44, [0, 0, 0x11, 0x12, 0x34, 0x56, 0x78]]], next: 58, payload: Array(16).fill(0x61), hopLimit: 64 }),
  ];
}

