import { describe, expect, it } from 'vitest';
import { openCaptureFile } from '../../src/pcap/open.js';
import { block, concat, epb, idb, nrb, payload, shb, spb, u64Option } from './build-bytes.js';
import { readAll } from './read-all.js';
import { tempDir } from './temp-file.js';

const file = tempDir();
const NS_2024 = 1_704_067_200_123_456_789n; // 2024-01-01T00:00:00.123456789Z

describe('pcapng reader', () => {
  for (const le of [true, false]) {
    it(`reads a ${le ? 'little' : 'big'}-endian section: interfaces, resolutions, comments, NRB, ISB, custom blocks`, async () => {
      const bytes = concat(
        shb(le, [[1, 'section one'], [2, 'x86_64'], [3, 'Linux 6.1'], [4, 'test-writer']]),
        idb(le, 1, 65535, [[2, 'br-1'], [3, 'bridge one'], [9, Uint8Array.of(9)]]),
        idb(le, 276, 128, [[2, 'any']]), // default resolution: microseconds
        idb(le, 113, 0, [[9, Uint8Array.of(0x80 | 20)], u64Option(14, 100n, le)]), // 2^-20 s, +100 s
        epb(le, 0, NS_2024, payload(60), 60, [[1, 'first frame'], [1, 'second comment']]),
        epb(le, 1, 1_704_067_200_654_321n, payload(200, 5), 1500),
        epb(le, 2, (5n << 20n) + 524288n, payload(10)), // 5.5 s of 2^-20 ticks, plus the offset
        nrb(le, [{ ip: '172.30.0.10', names: ['web-1', 'web'] }, { ip: 'fe80::1', names: ['rtr'] }]),
        block(5, le, (b) => b.u32(1).u32(0).u32(0), [u64Option(4, 1000n, le), u64Option(5, 3n, le), u64Option(7, 4n, le)]),
        block(0x00000bad, le, (b) => b.u32(32473).bytes([1, 2, 3, 4])),
        block(0x40000bad, le, (b) => b.u32(7).bytes([9, 9, 9, 9, 9, 9, 9, 9])),
        block(0x12345, le, (b) => b.bytes([1, 2, 3, 4])), // unknown: skipped
        block(2, le, (b) => b.u16(0).u16(0).u32(Number(NS_2024 >> 32n)).u32(Number(NS_2024 & 0xffffffffn)).u32(4).u32(4).bytes([7, 7, 7, 7])),
      );
      const src = openCaptureFile(file(`section-${le}.pcapng`, bytes), { chunkBytes: 64 });
      const { frames, error } = await readAll(src);
      expect(error).toBeNull();
      expect(frames.map((f) => [f.tsSec, f.tsNsec, f.capLen, f.len, f.ifIndex])).toEqual([
        [1_704_067_200, 123_456_789, 60, 60, 0],
        [1_704_067_200, 654_321_000, 200, 1500, 1],
        [105, 500_000_000, 10, 10, 2],
        [1_704_067_200, 123_456_789, 4, 4, 0],
      ]);
      expect(src.interfaces).toEqual([
        { id: 0, linkType: 1, snapLen: 65535, name: 'br-1', description: 'bridge one' },
        { id: 1, linkType: 276, snapLen: 128, name: 'any' },
        { id: 2, linkType: 113, snapLen: 0 },
      ]);
      expect(src.meta).toMatchObject({
        format: 'pcapng',
        sectionComments: ['section one'],
        shbHardware: 'x86_64',
        shbOs: 'Linux 6.1',
        shbUserAppl: 'test-writer',
        nameRecords: [{ ip: '172.30.0.10', names: ['web-1', 'web'] }, { ip: 'fe80::1', names: ['rtr'] }],
        interfaceStats: [{ ifIndex: 1, received: 1000n, ifDropped: 3n, osDropped: 4n }],
        customBlocks: [
          { pen: 32473, data: Uint8Array.of(1, 2, 3, 4), copyable: true },
          { pen: 7, data: Uint8Array.of(9, 9, 9, 9, 9, 9, 9, 9), copyable: false },
        ],
      });
      expect([...src.meta.frameComments]).toEqual([[0, ['first frame', 'second comment']]]);
      expect(frames[1].bytes).toEqual(payload(200, 5));
    });
  }

  it('maps interface ids of each section onto one global list (a new SHB restarts ids, may switch byte order)', async () => {
    const bytes = concat(
      shb(true),
      idb(true, 1, 0, [[2, 'a']]),
      epb(true, 0, 1_000_000n, payload(8)),
      shb(false, [[1, 'second']]),
      idb(false, 113, 0, [[2, 'b']]),
      idb(false, 1, 0, [[2, 'c']]),
      epb(false, 1, 2_000_000n, payload(8)),
      epb(false, 0, 3_000_000n, payload(8)),
    );
    const src = openCaptureFile(file('sections.pcapng', bytes));
    const { frames, error } = await readAll(src);
    expect(error).toBeNull();
    expect(frames.map((f) => [f.tsSec, f.ifIndex])).toEqual([[1, 0], [2, 2], [3, 1]]);
    expect(src.interfaces.map((i) => [i.id, i.name, i.linkType])).toEqual([[0, 'a', 1], [1, 'b', 113], [2, 'c', 1]]);
    expect(src.meta.sectionComments).toEqual(['second']);
  });

  it('reads Simple Packet Blocks: length from the block, captured length cut to the snaplen, no timestamp', async () => {
    const bytes = concat(shb(true), idb(true, 1, 16), spb(true, 60, payload(16)), spb(true, 8, payload(8)));
    const { frames, error } = await readAll(openCaptureFile(file('spb.pcapng', bytes)));
    expect(error).toBeNull();
    expect(frames.map((f) => [f.capLen, f.len, f.tsSec, f.tsNsec])).toEqual([[16, 60, 0, 0], [8, 8, 0, 0]]);
  });

  it('converts 64-bit nanosecond ticks exactly, far beyond 2^53 ns, and power-of-2 resolutions as Wireshark does', async () => {
    const times = [0n, 1n, 2n ** 53n + 1n, 4_102_444_800_999_999_999n, 2n ** 64n - 1n];
    const bytes = concat(
      shb(true),
      idb(true, 1, 0, [[9, Uint8Array.of(9)]]),
      idb(true, 1, 0, [[9, Uint8Array.of(0x80 | 30)]]),
      ...times.map((t) => epb(true, 0, t, payload(1))),
      epb(true, 1, (3n << 30n) + 1n, payload(1)), // 3 s + 1 tick of 2^-30 s = 0.93 ns: truncated to 0
      epb(true, 1, (3n << 30n) + 1073741823n, payload(1)),
    );
    const { frames } = await readAll(openCaptureFile(file('ticks.pcapng', bytes)));
    expect(frames.slice(0, times.length).map((f) => f.tsNs)).toEqual(times);
    expect(frames.slice(times.length).map((f) => [f.tsSec, f.tsNsec])).toEqual([[3, 0], [3, 999_999_999]]);
  });
});
