import fc from 'fast-check';
import { concat, nrb as nrbBlock } from '../pcap/build-bytes.js';
import { hostileText } from './pipeline.js';

/**
 * pcapng files built block by block from a grammar, so the fuzzer reaches what byte mutation of a
 * small seed never does: a Name Resolution Block with a hundred thousand records, thousands of
 * comments, interface ids past 16 bits, custom blocks. Little-endian, one section unless a block
 * says otherwise.
 */
type Block = Uint8Array;

function block(type: number, body: Uint8Array): Block {
  const padded = (body.length + 3) & ~3;
  const out = new Uint8Array(12 + padded);
  const v = new DataView(out.buffer);
  v.setUint32(0, type, true);
  v.setUint32(4, out.length, true);
  out.set(body, 8);
  v.setUint32(out.length - 4, out.length, true);
  return out;
}

function options(list: [number, Uint8Array][]): Uint8Array {
  if (list.length === 0) return new Uint8Array(0);
  const parts: Uint8Array[] = [];
  for (const [code, value] of list) {
    const head = new Uint8Array(4);
    new DataView(head.buffer).setUint16(0, code, true);
    new DataView(head.buffer).setUint16(2, value.length, true);
    parts.push(head, value, new Uint8Array((4 - (value.length % 4)) % 4));
  }
  parts.push(new Uint8Array(4));
  return concat(...parts);
}

const text = (s: string) => new TextEncoder().encode(s);

export function shb(comment?: string): Block {
  const fixed = new Uint8Array(16);
  const v = new DataView(fixed.buffer);
  v.setUint32(0, 0x1a2b3c4d, true);
  v.setUint16(4, 1, true);
  v.setBigInt64(8, -1n, true);
  return block(0x0a0d0d0a, concat(fixed, options(comment === undefined ? [] : [[1, text(comment)]])));
}

export function idb(linkType: number, name?: string): Block {
  const fixed = new Uint8Array(8);
  const v = new DataView(fixed.buffer);
  v.setUint16(0, linkType, true);
  v.setUint32(4, 262144, true);
  return block(1, concat(fixed, options(name === undefined ? [] : [[2, text(name)]])));
}

export function epb(ifId: number, tsMicros: bigint, data: Uint8Array, comments: string[] = []): Block {
  const fixed = new Uint8Array(20);
  const v = new DataView(fixed.buffer);
  v.setUint32(0, ifId, true);
  v.setUint32(4, Number((tsMicros >> 32n) & 0xffffffffn), true);
  v.setUint32(8, Number(tsMicros & 0xffffffffn), true);
  v.setUint32(12, data.length, true);
  v.setUint32(16, data.length, true);
  const pad = new Uint8Array((4 - (data.length % 4)) % 4);
  return block(6, concat(fixed, data, pad, options(comments.map((c) => [1, text(c)]))));
}

/** An NRB of `count` IPv4 records, each naming 10.x.y.z with `name`. */
export function nrb(count: number, name: string): Block {
  const names = [name];
  return nrbBlock(true, Array.from({ length: count }, (_, i) => ({ ip: Uint8Array.of(10, i >> 16, i >> 8, i), names })));
}

export function isb(ifId: number): Block {
  const fixed = new Uint8Array(12);
  new DataView(fixed.buffer).setUint32(0, ifId, true);
  const recv = new Uint8Array(8);
  new DataView(recv.buffer).setBigUint64(0, 10n, true);
  return block(5, concat(fixed, options([[4, recv]])));
}

export function custom(pen: number, data: Uint8Array): Block {
  const head = new Uint8Array(4);
  new DataView(head.buffer).setUint32(0, pen, true);
  return block(0x40000bad, concat(head, data));
}

/** Echo request, redirect, or a random frame, cut anywhere: where ICMP getters meet the frame's end. */
export const ethernetFrame: fc.Arbitrary<Uint8Array> = fc
  .record({ icmpType: fc.constantFrom(0, 3, 5, 8, 11, 13), cut: fc.integer({ min: 14, max: 70 }), fill: fc.integer({ min: 0, max: 255 }) })
  .map(({ icmpType, cut, fill }) => {
    const f = new Uint8Array(70).fill(fill);
    const v = new DataView(f.buffer);
    f.set([2, 0x42, 0xac, 0x1e, 0, 0x0b, 2, 0x42, 0xac, 0x1e, 0, 0x0a], 0);
    v.setUint16(12, 0x0800);
    f[14] = 0x45;
    v.setUint16(16, 56);
    f[23] = 1;
    v.setUint32(26, 0xac1e000a);
    v.setUint32(30, 0xac1e000b);
    f[34] = icmpType;
    f[35] = 1;
    return f.subarray(0, cut);
  });

/** Lengths biased to the sizes that matter: a few, and past what a call stack or 16 bits holds. */
const manyRecords = fc.oneof(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 120_000, max: 300_000 }));
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 24 }), hostileText);

const genBlock: fc.Arbitrary<Block> = fc.oneof(
  { arbitrary: fc.tuple(fc.constantFrom(1, 113, 276, 101, 0, 9), fc.option(anyText, { nil: undefined })).map(([lt, n]) => idb(lt, n)), weight: 2 },
  { arbitrary: fc.tuple(fc.nat({ max: 3 }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), ethernetFrame, fc.array(anyText, { maxLength: 3 })).map(([i, t, d, c]) => epb(i, t, d, c)), weight: 6 },
  { arbitrary: fc.tuple(manyRecords, fc.string({ maxLength: 4 })).map(([n, s]) => nrb(n, s)), weight: 1 },
  { arbitrary: fc.nat({ max: 3 }).map(isb), weight: 1 },
  { arbitrary: fc.tuple(fc.constantFrom(32473, 1, 0xffffffff), fc.uint8Array({ maxLength: 64 })).map(([p, d]) => custom(p, d)), weight: 1 },
  { arbitrary: fc.option(anyText, { nil: undefined }).map(shb), weight: 1 },
);

/** A whole pcapng: a section header, an interface, then any blocks. */
export const generatedPcapng: fc.Arbitrary<Uint8Array> = fc
  .tuple(fc.option(anyText, { nil: undefined }), fc.array(genBlock, { maxLength: 12 }))
  .map(([comment, blocks]) => concat(shb(comment), idb(1), ...blocks));
