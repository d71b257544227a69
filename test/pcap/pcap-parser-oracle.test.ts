import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
// pcap-parser 0.2.1 (CommonJS, untyped): the second, independent reader of classic pcap files.
import pcapParser from 'pcap-parser';
import { expect, it } from 'vitest';
import { openCaptureFile } from '../../src/pcap/open.js';
import { readAll } from './read-all.js';
import { corpusDir, corpusPresent, describeCorpus } from '../support/corpus.js';

const corpus = corpusDir;

interface ParserPacket {
  header: { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number };
}

/** Every packet pcap-parser emits before its stream ends (it stops silently at damage). */
function parseAll(path: string): Promise<ParserPacket[]> {
  return new Promise((resolve, reject) => {
    const packets: ParserPacket[] = [];
    const p = pcapParser.parse(path);
    p.on('packet', (pkt: ParserPacket) => packets.push(pkt));
    p.on('error', reject);
    p.on('end', () => resolve(packets));
  });
}

/** Classic microsecond pcap (magic a1b2c3d4, either order): the only format pcap-parser reads. */
const microPcaps = corpusPresent
  ? readdirSync(corpus).filter((f) => {
      if (!/\.(pcap|cap)$/.test(f)) return false;
      const magic = readFileSync(join(corpus, f)).subarray(0, 4).toString('hex');
      return magic === 'a1b2c3d4' || magic === 'd4c3b2a1';
    }).sort()
  : [];

describeCorpus('pcap-parser agrees on classic pcap files of the corpus', () => {
  it('finds classic pcap files', () => expect(microPcaps.length).toBeGreaterThan(30));

  it.each(microPcaps)('%s', async (name) => {
    const path = join(corpus, name);
    const ours = await readAll(openCaptureFile(path));
    const theirs = await parseAll(path);
    // On a damaged file pcap-parser waits for a record that never completes and ends without it;
    // we deliver the same frames and then say what is wrong.
    expect(ours.frames.length).toBe(theirs.length);
    expect(ours.frames.map((f) => [f.tsNs, f.capLen, f.len])).toEqual(
      theirs.map(({ header: h }) => [
        BigInt(h.timestampSeconds) * 1_000_000_000n + BigInt(h.timestampMicroseconds) * 1000n,
        h.capturedLength,
        h.originalLength,
      ]),
    );
  });
});
