import { readFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseSnapshot } from '../../src/annotate/snapshot.js';
import { TopologyResolver } from '../../src/annotate/topology-resolver.js';
import { openCaptureStream } from '../../src/pcap/open.js';
import { printFrames } from '../../src/session/frame-printer.js';

const resolver = new TopologyResolver(parseSnapshot(JSON.parse(readFileSync('captures/seed-ping.pcap.topology.json', 'utf8')), 'seed'));
const seedPing = readFileSync('captures/seed-ping.pcap');
const PCAP_HEADER = 24;
/** The seed's records again and again: a batch of them prints far more than one of the printer's buffers (192 KiB). */
const ROUNDS = 400;
const many = Buffer.concat([seedPing, ...Array.from({ length: ROUNDS - 1 }, () => seedPing.subarray(PCAP_HEADER))]);

async function printed(json: boolean, batchFrames: number): Promise<{ text: string; writes: number }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const source = openCaptureStream(Readable.from([many]), 'many.pcap', { batchFrames });
  await printFrames(source, { out, resolver, json });
  return { text: Buffer.concat(chunks).toString('utf8'), writes: chunks.length };
}

describe('printFrames', () => {
  for (const json of [false, true]) {
    it(`writes the same ${json ? 'NDJSON' : 'text'} whether a batch's lines fill one buffer or many`, async () => {
      const oneBatch = await printed(json, 1 << 20);
      const frameByFrame = await printed(json, 1);
      expect(oneBatch.text).toBe(frameByFrame.text);
      expect(oneBatch.text.length).toBeGreaterThan(2 * (192 << 10));
      expect(oneBatch.writes).toBeGreaterThan(1);
      expect(oneBatch.writes).toBeLessThan(frameByFrame.writes);
    });
  }
});
