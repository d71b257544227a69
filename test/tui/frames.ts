import type { Endpoint, Resolver } from '../../src/model/endpoint.js';
import { ipv4ToNumber, macToNumber } from '../../src/annotate/address.js';
import type { CaptureSource, FrameBatch } from '../../src/source/frame-batch.js';

/** Test frames built byte by byte (Ethernet II, ARP, IPv4 + ICMP echo), and in-memory sources. */

function mac(m: string): number[] {
  return m.split(':').map((h) => Number.parseInt(h, 16));
}
function ip(a: string): number[] {
  return a.split('.').map(Number);
}
function ethernet(dst: string, src: string, type: number): number[] {
  return [...mac(dst), ...mac(src), type >> 8, type & 255];
}

export function arpFrame(op: 1 | 2, senderMac: string, senderIp: string, targetMac: string, targetIp: string, dst = 'ff:ff:ff:ff:ff:ff'): Uint8Array {
  return Uint8Array.from([
    ...ethernet(dst, senderMac, 0x0806),
    0, 1, 8, 0, 6, 4, 0, op,
    ...mac(senderMac), ...ip(senderIp), ...mac(targetMac), ...ip(targetIp),
  ]);
}

function checksum(b: number[]): number {
  let sum = 0;
  for (let i = 0; i < b.length; i += 2) sum += (b[i] << 8) | (b[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export function echoFrame(type: 0 | 8, srcMac: string, dstMac: string, src: string, dst: string, id: number, seq: number, payload: number[] = [0x61, 0x62, 0x63, 0x64]): Uint8Array {
  const icmp = [type, 0, 0, 0, id >> 8, id & 255, seq >> 8, seq & 255, ...payload];
  const c = checksum(icmp);
  icmp[2] = c >> 8;
  icmp[3] = c & 255;
  const total = 20 + icmp.length;
  const hdr = [0x45, 0, total >> 8, total & 255, 0x12, 0x34, 0x40, 0, 64, 1, 0, 0, ...ip(src), ...ip(dst)];
  const hc = checksum(hdr);
  hdr[10] = hc >> 8;
  hdr[11] = hc & 255;
  return Uint8Array.from([...ethernet(dstMac, srcMac, 0x0800), ...hdr, ...icmp]);
}

/** A batch over fresh arrays holding `frames`, timestamps 1 ms apart from `t0`. */
export function batchOf(frames: Uint8Array[], t0 = 1_700_000_000, firstMs = 0): FrameBatch {
  const total = frames.reduce((n, f) => n + f.length, 0);
  const data = new Uint8Array(total);
  const n = frames.length;
  const b: FrameBatch = {
    count: n, data, offset: new Uint32Array(n), capLen: new Uint32Array(n), origLen: new Uint32Array(n),
    tsSec: new Float64Array(n), tsNsec: new Uint32Array(n), ifIndex: new Uint32Array(n),
    interfaces: [{ id: 0, linkType: 1, snapLen: 262144, name: 'br-test' }],
  };
  let at = 0;
  frames.forEach((f, i) => {
    data.set(f, at);
    b.offset[i] = at;
    b.capLen[i] = b.origLen[i] = f.length;
    const ms = firstMs + i;
    b.tsSec[i] = t0 + Math.floor(ms / 1000);
    b.tsNsec[i] = (ms % 1000) * 1_000_000;
    at += f.length;
  });
  return b;
}

export function memorySource(batches: FrameBatch[]): CaptureSource & { closed: boolean } {
  return {
    label: 'memory',
    closed: false,
    async close() {
      this.closed = true;
    },
    stats: () => [],
    async *[Symbol.asyncIterator]() {
      for (const b of batches) {
        if (this.closed) return;
        yield b;
      }
    },
  };
}

/** A resolver from a few (label, MAC, IP) triples. */
export function tableResolver(entries: Array<{ label: string; mac: string; ip: string }>): Resolver {
  const byMac = new Map<number, Endpoint>();
  const byIp = new Map<number, Endpoint>();
  for (const e of entries) {
    const ep: Endpoint = { label: e.label, kind: 'container', container: e.label, mac: e.mac, ipv4: e.ip, bridge: 'br-test' };
    byMac.set(macToNumber(e.mac), ep);
    byIp.set(ipv4ToNumber(e.ip), ep);
  }
  return { byMac: (m) => byMac.get(m), byIpv4: (i) => byIp.get(i), byIfIndex: () => undefined };
}

export const WEB1 = { label: 'web-bridge-1', mac: '02:42:ac:1e:00:0a', ip: '172.30.0.10' };
export const WEB2 = { label: 'web-bridge-2', mac: '02:42:ac:1e:00:0b', ip: '172.30.0.11' };

/** The seed's exchange: ARP who-has/reply, then `pings` echo request/reply pairs. */
export function pingExchange(pings: number): Uint8Array[] {
  const out = [
    arpFrame(1, WEB1.mac, WEB1.ip, '00:00:00:00:00:00', WEB2.ip),
    arpFrame(2, WEB2.mac, WEB2.ip, WEB1.mac, WEB1.ip, WEB1.mac),
  ];
  for (let s = 1; s <= pings; s++) {
    out.push(echoFrame(8, WEB1.mac, WEB2.mac, WEB1.ip, WEB2.ip, 7, s));
    out.push(echoFrame(0, WEB2.mac, WEB1.mac, WEB2.ip, WEB1.ip, 7, s));
  }
  return out;
}
