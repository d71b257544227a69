import { PcapngWriter } from '../../src/pcap/pcapng-writer.js';
import { BatchBuilder } from '../../src/source/batch-builder.js';
import type { CaptureInterface } from '../../src/source/frame-batch.js';
import { internetChecksum } from '../../src/decode/index.js';

/** One frame as captured on interface `on`, `us` microseconds after t0. */
export interface Sighting {
  us: number;
  on: number;
  bytes: Uint8Array;
}

export const T0_SEC = 1_700_000_000;

export function interfaces(...names: string[]): CaptureInterface[] {
  return names.map((name, id) => ({ id, linkType: 1, snapLen: 262144, name }));
}

/** Writes the sightings, in order, as a multi-interface pcapng (one IDB per interface) with our writer. */
export function writeMultiInterface(path: string, ifs: CaptureInterface[], sightings: Sighting[]): void {
  const builder = new BatchBuilder(sightings.length, ifs);
  const arena = new Uint8Array(sightings.reduce((n, s) => n + s.bytes.length, 0));
  builder.reset(arena);
  let at = 0;
  for (const s of sightings) {
    arena.set(s.bytes, at);
    const ns = Math.round(s.us * 1000);
    builder.push(at, s.bytes.length, s.bytes.length, T0_SEC + Math.floor(ns / 1e9), ns % 1e9, s.on);
    at += s.bytes.length;
  }
  const w = new PcapngWriter(path);
  w.writeBatch(builder.take());
  w.close();
}

/** The same IPv4 frame after a router: TTL one lower, checksum redone, MACs rewritten. */
export function routed(frame: Uint8Array, dstMac: number[], srcMac: number[]): Uint8Array {
  const b = new Uint8Array(frame);
  b.set(dstMac, 0);
  b.set(srcMac, 6);
  b[14 + 8] -= 1;
  b[14 + 10] = 0;
  b[14 + 11] = 0;
  const sum = internetChecksum(b, 14, 34);
  b[14 + 10] = sum >> 8;
  b[14 + 11] = sum & 0xff;
  return b;
}
