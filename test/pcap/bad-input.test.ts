import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openCaptureFile } from '../../src/pcap/open.js';
import { ByteBuilder, block, concat, epb, idb, payload, pcapFile, pcapHeader, pcapRecord, shb } from './build-bytes.js';
import { readAll } from './read-all.js';
import { tempDir } from './temp-file.js';

const file = tempDir();

const good = [1, 2, 3].map((i) => ({ sec: 1000 + i, frac: i, data: payload(40 + i, i) }));
const goodPcap = pcapFile({}, good);
const goodNg = concat(shb(true), idb(true, 1, 0), ...good.map((r) => epb(true, 0, BigInt(r.sec) * 1_000_000n, r.data)));

interface Case {
  name: string;
  bytes: Uint8Array;
  code: string;
  offset: number;
  /** Frames delivered before the error. */
  frames: number;
  detail: RegExp;
}

const cases: Case[] = [
  { name: 'truncated pcap global header', bytes: goodPcap.subarray(0, 20), code: 'BS_PCAP_TRUNCATED_HEADER', offset: 0, frames: 0, detail: /20 of 24 bytes/ },
  { name: 'file shorter than any magic', bytes: Uint8Array.of(0xd4, 0xc3), code: 'BS_PCAP_TRUNCATED_HEADER', offset: 0, frames: 0, detail: /2 of 4 bytes/ },
  { name: 'bad magic', bytes: concat(Uint8Array.of(0x7f, 0x45, 0x4c, 0x46), goodPcap.subarray(4)), code: 'BS_PCAP_BAD_MAGIC', offset: 0, frames: 0, detail: /magic 0x7f454c46/ },
  { name: 'unknown pcap version', bytes: pcapFile({ version: [3, 0] }, good), code: 'BS_PCAP_BAD_VERSION', offset: 4, frames: 0, detail: /version 3\.0/ },
  {
    name: 'record header cut short',
    bytes: concat(goodPcap, new Uint8Array(10)),
    code: 'BS_PCAP_TRUNCATED_RECORD', offset: goodPcap.length, frames: 3, detail: /record header: 10 bytes/,
  },
  {
    name: 'record data cut short',
    bytes: goodPcap.subarray(0, goodPcap.length - 5),
    code: 'BS_PCAP_TRUNCATED_RECORD', offset: goodPcap.length - 16 - 43, frames: 2, detail: /frame data/,
  },
  {
    name: 'record larger than 256 KiB',
    bytes: concat(goodPcap, pcapRecord({ sec: 1, frac: 0, data: payload(8), capLen: 262_145 })),
    code: 'BS_PCAP_FRAME_TOO_LARGE', offset: goodPcap.length, frames: 3, detail: /262145-byte frame/,
  },
  { name: 'pcapng block length below 12', bytes: concat(goodNg, new ByteBuilder().u32(6).u32(8).u32(8).build()), code: 'BS_PCAPNG_BAD_BLOCK_LENGTH', offset: goodNg.length, frames: 3, detail: /invalid length 8/ },
  { name: 'pcapng block length not a multiple of 4', bytes: concat(goodNg, new ByteBuilder().u32(6).u32(33).bytes(new Array(25).fill(0)).build()), code: 'BS_PCAPNG_BAD_BLOCK_LENGTH', offset: goodNg.length, frames: 3, detail: /invalid length 33/ },
  {
    name: 'pcapng length fields that disagree',
    bytes: (() => {
      const b = epb(true, 0, 1n, payload(8));
      new DataView(b.buffer).setUint32(b.length - 4, 44, true);
      return concat(goodNg, b);
    })(),
    code: 'BS_PCAPNG_BLOCK_LENGTH_MISMATCH', offset: goodNg.length, frames: 3, detail: /disagree \(40 at start, 44 at end\)/,
  },
  { name: 'EPB for an undeclared interface', bytes: concat(goodNg, epb(true, 1, 1n, payload(8))), code: 'BS_PCAPNG_UNDECLARED_INTERFACE', offset: goodNg.length, frames: 3, detail: /interface 1.*declares 1/ },
  {
    name: 'EPB captured length beyond its block',
    bytes: concat(goodNg, block(6, true, (b) => b.u32(0).u32(0).u32(0).u32(100).u32(100).bytes(payload(8)))),
    code: 'BS_PCAPNG_BAD_CAPLEN', offset: goodNg.length, frames: 3, detail: /captured length 100/,
  },
  { name: 'pcapng block cut short', bytes: goodNg.subarray(0, goodNg.length - 6), code: 'BS_PCAPNG_TRUNCATED_BLOCK', offset: goodNg.length - epb(true, 0, 0n, payload(43)).length, frames: 2, detail: /inside a block/ },
  {
    name: 'a second section of unknown version',
    bytes: concat(goodNg, shb(true, [], [2, 0]), idb(true, 1, 0), epb(true, 0, 1n, payload(8))),
    code: 'BS_PCAPNG_BAD_VERSION', offset: goodNg.length + 12, frames: 3, detail: /version 2\.0/,
  },
  {
    name: 'a section header without byte-order magic',
    bytes: concat(goodNg, new ByteBuilder().u32(0x0a0d0d0a).u32(28).u32(0x11223344).u32(1).u64(0n).u32(28).build()),
    code: 'BS_PCAPNG_BAD_BYTE_ORDER', offset: goodNg.length + 8, frames: 3, detail: /byte-order magic/,
  },
  { name: 'empty file', bytes: new Uint8Array(0), code: 'BS_PCAP_EMPTY_FILE', offset: 0, frames: 0, detail: /empty file/ },
];

describe('bad input: a CaptureFileError naming file and offset, after every frame before the damage', () => {
  it.each(cases)('$name', async (c) => {
    const path = file(`${c.name.replace(/\W+/g, '-')}.cap`, c.bytes);
    const { frames, error } = await readAll(openCaptureFile(path, { chunkBytes: 32, batchFrames: 2 }));
    expect(frames.length).toBe(c.frames);
    expect(error?.code).toBe(c.code);
    expect(error?.offset).toBe(c.offset);
    expect(error?.message).toMatch(c.detail);
    expect(error?.message).toContain(path);
    expect(error?.message).toContain(`at byte offset ${c.offset}`);
    expect(error?.exitCode).toBe(2);
  });

  it('delivers the frames before the damage with their bytes intact', async () => {
    const path = file('late-damage.pcap', concat(goodPcap, new Uint8Array(7)));
    const { frames, error } = await readAll(openCaptureFile(path, { chunkBytes: 16 }));
    expect(error?.code).toBe('BS_PCAP_TRUNCATED_RECORD');
    expect(frames.map((f) => f.bytes)).toEqual(good.map((r) => r.data));
  });

  it('a missing file', async () => {
    const path = file('nope.pcap');
    const { error } = await readAll(openCaptureFile(path));
    expect([error?.code, error?.message]).toEqual(['BS_PCAP_NO_SUCH_FILE', `${path}: no such file at byte offset 0`]);
  });

  it('a directory', async () => {
    const path = file('a-directory.pcap');
    mkdirSync(path);
    const { error } = await readAll(openCaptureFile(path));
    expect(error?.code).toBe('BS_PCAP_IS_DIRECTORY');
    expect(error?.message).toContain(path);
  });

  it('a header-only pcap and an SHB+IDB-only pcapng are valid and empty', async () => {
    for (const [name, bytes] of [['h.pcap', pcapHeader()], ['h.pcapng', concat(shb(true), idb(true, 1, 0))]] as const) {
      const { frames, error } = await readAll(openCaptureFile(file(name, bytes)));
      expect([frames.length, error]).toEqual([0, null]);
    }
  });

  it('random damage never hangs or throws anything but a CaptureFileError', async () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let n = 0; n < 200; n++) {
      const base = n % 2 ? goodNg : goodPcap;
      const bytes = base.slice(0, Math.floor(rand() * base.length) + 1);
      for (let k = 0; k < 3; k++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
      const path = file(`fuzz-${n}.cap`, bytes);
      await readAll(openCaptureFile(path, { chunkBytes: 16 })); // readAll rethrows any other error
    }
  });
});
