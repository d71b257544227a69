import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { FrameDecoder } from '../../src/decode/index.js';
import { openCaptureFile } from '../../src/pcap/open.js';
import { PcapngWriter } from '../../src/pcap/pcapng-writer.js';
import { corpusDir, corpusIndex, corpusPresent, describeCorpus } from '../support/corpus.js';
import { describeLive } from '../support/live.js';
import { IPV6_FIELDS, tsharkLikeIpv6, tsharkRows } from '../support/tshark-fields.js';
import { ipv6EdgeCases } from './ipv6-frames.js';

/**
 * IPv6, extension headers, ICMPv6, ND and MLD against a live tshark, field by field: every frame of
 * the public corpus (most have no IPv6: both sides then say nothing) and a file of edge cases
 * built here (errors with their quote, RA/RS/redirect, hop-by-hop + destination options + fragment).
 */
const SKIP: Record<string, string> = {
  'sv__bug-6875-01__fuzz.pcap': 'tshark reads this file as the SuSE pcap variant; we reject it (see test/pcap)',
};

/** Files where IPv6 rides a tunnel we name but do not open: tshark's rows there have IPv6, ours none. */
const TUNNELLED: Record<string, string> = {
  'sv__output-eve-ftp-data__input.pcap': 'Teredo (IPv6 in UDP 3544) is not opened',
};

function tshark(file: string): Record<string, string>[] {
  return tsharkRows(file, IPV6_FIELDS, ['-E', 'occurrence=a', '-o', 'ipv6.defragment:FALSE']);
}

async function ours(file: string): Promise<Record<string, string>[]> {
  const dec = new FrameDecoder();
  const rows: Record<string, string>[] = [];
  try {
    for await (const b of openCaptureFile(file)) for (let i = 0; i < b.count; i++) rows.push(tsharkLikeIpv6(dec.decodeFrame(b, i)));
  } catch {
    // Damaged files: the frames read before the damage count.
  }
  return rows;
}

function compare(theirs: Record<string, string>[], mine: Record<string, string>[]): string[] {
  const diffs: string[] = [];
  theirs.forEach((row, i) => {
    for (const [k, v] of Object.entries(row)) if ((mine[i]?.[k] ?? '') !== v) diffs.push(`frame ${i + 1} ${k}: tshark '${v}', ours '${mine[i]?.[k]}'`);
  });
  return diffs;
}

describeCorpus('IPv6 and ICMPv6 agree with a live tshark on the corpus', () => {
  describeLive('corpus', { tools: ['tshark'] }, () => {
    const files = corpusPresent ? corpusIndex().map((f) => f.file).filter((f) => !SKIP[f]) : [];
    it.each(files)('%s', async (file) => {
      const path = join(corpusDir, file);
      const theirs = tshark(path);
      const mine = await ours(path);
      expect(mine.length).toBeGreaterThanOrEqual(theirs.length);
      const opened = TUNNELLED[file] ? mine.map((r) => (r['ipv6.src'] === '' ? undefined : r)) : mine;
      const rows = TUNNELLED[file] ? theirs.map((r, i) => (opened[i] ? r : {})) : theirs;
      expect(compare(rows, mine).slice(0, 10)).toEqual([]);
    });
  });
});

describeLive('IPv6 edge cases agree with a live tshark', { tools: ['tshark'] }, () => {
  it('every field of every edge case', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'bridgescope-ipv6-')), 'edges.pcapng');
    const w = new PcapngWriter(file);
    ipv6EdgeCases().forEach((bytes, i) =>
      w.writeFrame({ tsSec: 1_700_000_000 + i, tsNsec: 0, capLen: bytes.length, origLen: bytes.length, ifIndex: 0, linkType: 1, bytes }),
    );
    w.close();
    const theirs = tshark(file);
    expect(theirs.length).toBe(ipv6EdgeCases().length);
    expect(theirs.filter((r) => r['icmpv6.type'] !== '').length).toBeGreaterThan(10);
    expect(compare(theirs, await ours(file))).toEqual([]);
  });
});

describeLive('the shipped dual-stack capture agrees with a live tshark', { tools: ['tshark'] }, () => {
  it('every field of every frame of captures/dual-stack-ping.pcapng (NDP, echo6, an error with its quote)', async () => {
    const file = fileURLToPath(new URL('../../captures/dual-stack-ping.pcapng', import.meta.url));
    const theirs = tshark(file);
    const icmp6 = theirs.filter((r) => r['icmpv6.type'] !== '');
    expect(icmp6.length).toBeGreaterThanOrEqual(14);
    expect(new Set(icmp6.map((r) => r['icmpv6.type'].split(',')[0]))).toEqual(new Set(['1', '128', '129', '133', '135', '136']));
    expect(compare(theirs, await ours(file))).toEqual([]);
  });
});
