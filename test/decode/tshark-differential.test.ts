import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { FrameDecoder } from '../../src/decode/index.js';
import { openCaptureFile } from '../../src/pcap/open.js';
import { PcapngWriter } from '../../src/pcap/pcapng-writer.js';
import { epochText } from '../../src/present/clock.js';
import { describeLive } from '../support/live.js';
import { FIELDS, tsharkLike, tsharkRows } from '../support/tshark-fields.js';
import { hex } from './hex.js';
import { overlayPing } from './vxlan-frames.js';

/**
 * Differential test against a live tshark: every shipped capture and a file of edge cases built
 * here decode with tshark's values for every field, and the same time to the nanosecond.
 */
const captures = fileURLToPath(new URL('../../captures/', import.meta.url));
const FRAME_FIELDS = ['frame.time_epoch', 'frame.len', 'frame.cap_len'] as const;

function tshark(file: string): Record<string, string>[] {
  return tsharkRows(file, [...FRAME_FIELDS, ...FIELDS]);
}

async function ours(file: string): Promise<Record<string, string>[]> {
  const dec = new FrameDecoder();
  const rows: Record<string, string>[] = [];
  for await (const b of openCaptureFile(file)) {
    for (let i = 0; i < b.count; i++) {
      rows.push({
        'frame.time_epoch': epochText(b.tsSec[i], b.tsNsec[i]),
        'frame.len': String(b.origLen[i]),
        'frame.cap_len': String(b.capLen[i]),
        ...tsharkLike(dec.decodeFrame(b, i)),
      });
    }
  }
  return rows;
}

const echo = hex(`0012 804b c07f 0016 d4b8 59b1 0800 4500 003c fefd 0000 8001 f1e6 c0a8 648a c0a8
  6401 0800 145c 0500 3400 6162 6364 6566 6768 696a 6b6c 6d6e 6f70 7172 7374 7576 7761 6263 6465 6667 6869`);

/** Edge cases as frames: stacked tags, ARP probe and announcement, snaplen cuts, ICMP errors, options, an overlay ping. */
function edgeCases(): { bytes: Uint8Array; origLen: number }[] {
  const tagged = (tags: [number, number][], inner: Uint8Array) => {
    const out = [...inner.subarray(0, 12)];
    for (const [tpid, tci] of tags) out.push(tpid >> 8, tpid & 255, tci >> 8, tci & 255);
    return Uint8Array.from([...out, ...inner.subarray(12)]);
  };
  const arp = (op: number, spa: number[], tpa: number[]) =>
    Uint8Array.from([255, 255, 255, 255, 255, 255, 2, 66, 172, 30, 0, 10, 8, 6, 0, 1, 8, 0, 6, 4, 0, op,
      2, 66, 172, 30, 0, 10, ...spa, 0, 0, 0, 0, 0, 0, ...tpa]);
  const unreachable = Uint8Array.from([...echo.subarray(0, 14), 0x45, 0, 0, 56, 0, 1, 0, 0, 64, 1, 0, 0, 10, 0, 0, 1, 192, 168, 100, 138,
    3, 1, 0, 0, 0, 0, 0, 0, ...echo.subarray(14, 42)]);
  const withOptions = Uint8Array.from([...echo.subarray(0, 14), 0x46, 0, 0, 0x40, 0xfe, 0xfd, 0, 0, 0x80, 1, 0, 0,
    ...echo.subarray(26, 34), 1, 1, 1, 0, ...echo.subarray(34)]);
  return [
    { bytes: tagged([[0x8100, 0xb29a], [0x8100, 0x40c8]], arp(1, [172, 30, 0, 10], [172, 30, 0, 11])), origLen: 50 },
    { bytes: tagged([[0x88a8, 100], [0x8100, 200]], echo), origLen: echo.length + 8 },
    { bytes: arp(1, [0, 0, 0, 0], [172, 30, 0, 12]), origLen: 42 },
    { bytes: arp(1, [172, 30, 0, 12], [172, 30, 0, 12]), origLen: 42 },
    { bytes: arp(2, [172, 30, 0, 12], [172, 30, 0, 12]), origLen: 42 },
    { bytes: echo.subarray(0, 40), origLen: echo.length },
    { bytes: echo.subarray(0, 20), origLen: echo.length },
    { bytes: unreachable, origLen: unreachable.length },
    { bytes: withOptions, origLen: withOptions.length },
    ...overlayPing().map((bytes) => ({ bytes, origLen: bytes.length })),
    { bytes: overlayPing()[2].subarray(0, 70), origLen: overlayPing()[2].length },
  ];
}

describeLive('decoder agrees with a live tshark', { tools: ['tshark'] }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'bridgescope-tshark-'));
  const edges = join(dir, 'edges.pcapng');
  const shipped = readdirSync(captures).filter((f) => /\.pcap(ng)?$/.test(f)).map((f) => join(captures, f));

  it.each([...shipped, edges])('%s', async (file) => {
    if (file === edges) {
      const w = new PcapngWriter(edges);
      edgeCases().forEach((e, i) =>
        w.writeFrame({ tsSec: 1_700_000_000 + i, tsNsec: 123_456_789, capLen: e.bytes.length, origLen: e.origLen, ifIndex: 0, linkType: 1, bytes: e.bytes }),
      );
      w.close();
    }
    const theirs = tshark(file);
    const mine = await ours(file);
    expect(mine.length).toBe(theirs.length);
    expect(theirs.length).toBeGreaterThan(0);
    const diffs: string[] = [];
    theirs.forEach((row, i) => {
      for (const [k, v] of Object.entries(row)) if (mine[i][k] !== v) diffs.push(`frame ${i + 1} ${k}: tshark '${v}', ours '${mine[i][k]}'`);
    });
    expect(diffs).toEqual([]);
  });
});
