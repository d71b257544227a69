import type { OwnedFrame } from '../../src/source/frame-batch.js';
import { ipv4ToNumber, macToNumber } from '../../src/annotate/address.js';
import { internetChecksum } from '../../src/decode/index.js';

/** Ethernet/ARP/IPv4/ICMP frames built byte by byte, for tests that need exact control. */

export interface Host {
  mac: string;
  ip: string;
}

const BROADCAST = 'ff:ff:ff:ff:ff:ff';

function put(b: Uint8Array, o: number, n: number, bytes: number): void {
  for (let i = bytes - 1; i >= 0; i--) {
    b[o + i] = n % 256;
    n = Math.floor(n / 256);
  }
}

function ethernet(dst: string, src: string, type: number, payload: Uint8Array): Uint8Array {
  const b = new Uint8Array(14 + payload.length);
  put(b, 0, macToNumber(dst), 6);
  put(b, 6, macToNumber(src), 6);
  put(b, 12, type, 2);
  b.set(payload, 14);
  return b;
}

export function arpFrame(op: 1 | 2, sender: Host, target: { mac?: string; ip: string }, ethDst?: string): Uint8Array {
  const a = new Uint8Array(28);
  put(a, 0, 1, 2);
  put(a, 2, 0x0800, 2);
  a[4] = 6;
  a[5] = 4;
  put(a, 6, op, 2);
  put(a, 8, macToNumber(sender.mac), 6);
  put(a, 14, ipv4ToNumber(sender.ip), 4);
  put(a, 18, macToNumber(target.mac ?? '00:00:00:00:00:00'), 6);
  put(a, 24, ipv4ToNumber(target.ip), 4);
  return ethernet(ethDst ?? (op === 1 ? BROADCAST : target.mac!), sender.mac, 0x0806, a);
}

function ipv4(src: string, dst: string, proto: number, payload: Uint8Array, ttl = 64): Uint8Array {
  const b = new Uint8Array(20 + payload.length);
  b[0] = 0x45;
  put(b, 2, b.length, 2);
  b[8] = ttl;
  b[9] = proto;
  put(b, 12, ipv4ToNumber(src), 4);
  put(b, 16, ipv4ToNumber(dst), 4);
  put(b, 10, internetChecksum(b, 0, 20), 2);
  b.set(payload, 20);
  return b;
}

function icmp(type: number, code: number, rest: number, body: Uint8Array): Uint8Array {
  const b = new Uint8Array(8 + body.length);
  b[0] = type;
  b[1] = code;
  put(b, 4, rest, 4);
  b.set(body, 8);
  put(b, 2, internetChecksum(b, 0, b.length), 2);
  return b;
}

/** Echo request (type 8) or reply (type 0) between two hosts, 16 bytes of payload. */
export function echoFrame(type: 0 | 8, from: Host, to: Host, id: number, seq: number): Uint8Array {
  return ethernet(to.mac, from.mac, 0x0800, ipv4(from.ip, to.ip, 1, icmp(type, 0, id * 65536 + seq, new Uint8Array(16))));
}

/** An ICMP error (3 unreachable, 11 time exceeded) from `by` to `to`, quoting `quoted` (an IP datagram's frame). */
export function icmpErrorFrame(type: number, code: number, by: Host, to: Host, quotedFrame: Uint8Array): Uint8Array {
  const quote = quotedFrame.subarray(14, 14 + 28);
  return ethernet(to.mac, by.mac, 0x0800, ipv4(by.ip, to.ip, 1, icmp(type, code, 0, quote)));
}

export function udpFrame(from: Host, to: Host, srcPort: number, dstPort: number): Uint8Array {
  const u = new Uint8Array(8 + 4);
  put(u, 0, srcPort, 2);
  put(u, 2, dstPort, 2);
  put(u, 4, u.length, 2);
  return ethernet(to.mac, from.mac, 0x0800, ipv4(from.ip, to.ip, 17, u));
}

/** A timeline of frames: each `at(ms, bytes)` is one frame at that many ms after t0. */
export class Timeline {
  readonly frames: OwnedFrame[] = [];
  constructor(private readonly t0Sec = 1_700_000_000) {}

  at(ms: number, bytes: Uint8Array, ifIndex = 0): this {
    const totalNs = Math.round(ms * 1e6);
    this.frames.push({
      tsSec: this.t0Sec + Math.floor(totalNs / 1e9),
      tsNsec: totalNs % 1e9,
      capLen: bytes.length,
      origLen: bytes.length,
      ifIndex,
      linkType: 1,
      bytes,
    });
    return this;
  }
}

export const A: Host = { mac: '02:42:ac:1e:00:0a', ip: '172.30.0.10' };
export const B: Host = { mac: '02:42:ac:1e:00:0b', ip: '172.30.0.11' };
export const C: Host = { mac: '02:42:ac:11:00:02', ip: '172.17.0.2' };
