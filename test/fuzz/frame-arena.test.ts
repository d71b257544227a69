import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { FrameDecoder, type DecodedFrame } from '../../src/decode/index.js';
import { noNames } from '../../src/model/endpoint.js';
import { openCaptureStream } from '../../src/pcap/open.js';
import { frameRecord } from '../../src/present/ndjson.js';
import { TextFormatter } from '../../src/present/text-line.js';
import { frameLayers } from '../../src/tui/view-model/frame-layers.js';
import { Readable } from 'node:stream';
import { checkProperty, fuzzTimeout } from './fuzz-run.js';
import { RAW_CONTROL, hostileResolver, hostileText } from './pipeline.js';
import { ethernetFrame } from './pcapng-gen.js';
import { mutate, mutation, seedFiles } from './seeds.js';
import { ipv6EdgeCases } from '../decode/ipv6-frames.js';

interface Frame {
  bytes: Uint8Array;
  linkType: number;
}

/** Every field NDJSON and the text line show. */
function fields(f: DecodedFrame): string {
  return JSON.stringify({ rec: frameRecord(f, 1, 0, 0, noNames), text: new TextFormatter({ resolver: noNames }).line(f, 0, 0) });
}

/**
 * The detail pane's fields. The pane decodes frames it keeps, each at offset 0 of its own copy,
 * so extents stop at the buffer's end (the frame layer spans it): extents are compared up to the
 * frame's end, and every field in full.
 */
function layerFields(f: DecodedFrame): string {
  return JSON.stringify(frameLayers(f, 1, 0, 0, noNames).map((l, i) => (i === 0 ? l.fields : { ...l, end: Math.min(l.end, f.end) })));
}

const seedFrames: Frame[] = [];
const ipv6Edges = ipv6EdgeCases();

beforeAll(async () => {
  for (const s of seedFiles) {
    try {
      const src = openCaptureStream(Readable.from([Buffer.from(s.bytes)]), s.name);
      for await (const b of src) {
        for (let i = 0; i < b.count && seedFrames.length < 20_000; i++) {
          const o = b.offset[i];
          seedFrames.push({ bytes: b.data.slice(o, o + b.capLen[i]), linkType: b.interfaces[b.ifIndex[i]]?.linkType ?? 1 });
        }
      }
    } catch {
      // A corpus file that ends in damage still gave its frames before it.
    }
  }
});

describe('fuzz: a frame decodes the same alone and inside an arena with other bytes around it', () => {
  it('no getter reads past its layer or its frame; the detail pane escapes hostile names', async () => {
    expect(seedFrames.length).toBeGreaterThan(0);
    const frame: fc.Arbitrary<Frame> = fc.oneof(
      fc.record({ k: fc.nat(seedFrames.length - 1), cut: fc.nat(), m: fc.array(mutation, { maxLength: 4 }) }).map(({ k, cut, m }) => {
        const f = seedFrames[k];
        const bytes = mutate(f.bytes, m);
        return { bytes: bytes.subarray(0, bytes.length === 0 ? 0 : cut % (bytes.length + 1)), linkType: f.linkType };
      }),
      fc.record({ bytes: ethernetFrame, linkType: fc.constant(1) }),
      // IPv6 with extension headers, ND options, errors and their quotes, mutated and cut anywhere.
      fc.record({ k: fc.nat(ipv6EdgeCases().length - 1), cut: fc.nat(), m: fc.array(mutation, { maxLength: 4 }) }).map(({ k, cut, m }) => {
        const bytes = mutate(ipv6Edges[k], m);
        return { bytes: bytes.subarray(0, cut % (bytes.length + 1)), linkType: 1 };
      }),
      fc.record({ bytes: fc.uint8Array({ maxLength: 80 }), linkType: fc.constantFrom(1, 113, 276, 101, 0, 9, 228) }),
    );
    const input = fc.record({
      frame,
      name: hostileText,
      snapCut: fc.boolean(),
      before: fc.uint8Array({ maxLength: 16 }),
      after: fc.uint8Array({ minLength: 1, maxLength: 64 }),
    });
    const alone = new FrameDecoder();
    const inArena = new FrameDecoder();
    await checkProperty('frame-arena', fc.property(input, ({ frame: fr, name, snapCut, before, after }) => {
      const origLen = fr.bytes.length + (snapCut ? 100 : 0);
      const own = fields(alone.decode(fr.bytes.slice(), fr.linkType, origLen));
      const arena = new Uint8Array(before.length + fr.bytes.length + after.length);
      arena.set(before);
      arena.set(fr.bytes, before.length);
      arena.set(after, before.length + fr.bytes.length);
      expect(fields(inArena.decodeAt(arena, before.length, fr.bytes.length, fr.linkType, origLen))).toBe(own);
      const ownLayers = layerFields(alone.decode(fr.bytes.slice(), fr.linkType, origLen));
      expect(layerFields(inArena.decodeAt(arena.subarray(before.length), 0, fr.bytes.length, fr.linkType, origLen))).toBe(ownLayers);
      const named = frameLayers(alone.decode(fr.bytes.slice(), fr.linkType, origLen), 1, 0, 0, hostileResolver(name));
      expect(JSON.stringify(named.map((l) => [l.name, l.fields]))).not.toMatch(RAW_CONTROL);
    }), 3000, ({ frame: fr }) => fr.bytes);
  }, fuzzTimeout);
});
