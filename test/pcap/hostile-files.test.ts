import { describe, expect, it } from 'vitest';
import { FrameDecoder } from '../../src/decode/index.js';
import { META_CAPS } from '../../src/pcap/capture-meta.js';
import { openCaptureFile } from '../../src/pcap/open.js';
import { concat, epb, idb, payload, pcapFile, shb, block } from './build-bytes.js';
import { custom, nrb } from '../fuzz/pcapng-gen.js';
import { readAll } from './read-all.js';
import { tempDir } from './temp-file.js';

const file = tempDir();

/** An IPv4 header (raw link type 101 starts here; as Ethernet its first byte is a MAC). */
const rawIpv4 = Uint8Array.from([0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);

describe('hostile capture files', () => {
  it('reads a Name Resolution Block of 130,000 records without overflowing the stack (finding 2)', async () => {
    const src = openCaptureFile(file('big-nrb.pcapng', concat(shb(true), idb(true, 1, 0), nrb(130_000, 'n'), epb(true, 0, 1n, payload(60)))));
    const { frames, error } = await readAll(src);
    expect(error).toBeNull();
    expect(frames).toHaveLength(1);
    expect(src.meta.nameRecords[0]).toEqual({ ip: '10.0.0.0', names: ['n'] });
    expect(src.meta.nameRecords.length + src.meta.omitted.nameRecords).toBe(130_000);
  });

  it('keeps interface ids past 16 bits: a frame on interface 65536 is on 65536, one on 70000 decodes by its own link type (finding 6)', async () => {
    const idbs: Uint8Array[] = [];
    for (let i = 0; i <= 70_000; i++) idbs.push(idb(true, i === 70_000 ? 101 : 1, 0));
    const bytes = concat(shb(true), ...idbs, epb(true, 65_536, 1n, payload(60)), epb(true, 70_000, 2n, rawIpv4));
    const src = openCaptureFile(file('many-ifaces.pcapng', bytes));
    const kinds: [number, string][] = [];
    const decoder = new FrameDecoder();
    for await (const b of src) for (let i = 0; i < b.count; i++) kinds.push([b.ifIndex[i], decoder.decodeFrame(b, i).link]);
    expect(kinds).toEqual([[65_536, 'ethernet'], [70_000, 'raw']]);
  });

  it('bounds per-file metadata whatever the file holds, and counts what it left out (finding 7)', async () => {
    const n = META_CAPS.frameComments + 500;
    const packets: Uint8Array[] = [];
    for (let i = 0; i < n; i++) packets.push(epb(true, 0, BigInt(i), payload(20), 20, [[1, `comment ${i}`]]));
    const stats: Uint8Array[] = [];
    for (let i = 0; i < META_CAPS.interfaceStats + 10; i++) stats.push(block(5, true, (b) => b.u32(0).u32(0).u32(0)));
    const big = new Uint8Array(8 * 1024 * 1024);
    const customs: Uint8Array[] = [];
    for (let i = 0; i < Math.ceil(META_CAPS.customBlockBytes / big.length) + 2; i++) customs.push(custom(7, big));
    const src = openCaptureFile(file('much-meta.pcapng', concat(shb(true), idb(true, 1, 0), ...packets, ...stats, ...customs)));
    const { frames, error } = await readAll(src);
    expect(error).toBeNull();
    expect(frames).toHaveLength(n);
    const meta = src.meta;
    expect(meta.frameComments.size).toBe(META_CAPS.frameComments);
    expect(meta.frameComments.get(0)).toEqual(['comment 0']);
    expect(meta.omitted.frameComments).toBe(500);
    expect(meta.interfaceStats).toHaveLength(META_CAPS.interfaceStats);
    expect(meta.omitted.interfaceStats).toBe(10);
    expect(meta.customBlocks.reduce((s, c) => s + c.data.length, 0)).toBeLessThanOrEqual(META_CAPS.customBlockBytes);
    expect(meta.omitted.customBlocks).toBeGreaterThan(0);
  }, 60_000);

  it('refuses pcap version 65535.4 as libpcap and tcpdump do (tshark reads any major >= 2) (finding 9)', async () => {
    const { frames, error } = await readAll(openCaptureFile(file('v65535.pcap', pcapFile({ version: [65535, 4] }, [{ sec: 1, frac: 0, data: payload(60) }]))));
    expect(frames).toHaveLength(0);
    expect(error?.code).toBe('BS_PCAP_BAD_VERSION');
    expect(error?.message).toContain('unsupported pcap version 65535.4');
    expect(error?.offset).toBe(4);
  });

  it('gives every frame before 4 trailing bytes, then says where the file is cut, as tcpdump does (finding 9)', async () => {
    const bytes = concat(pcapFile({}, [{ sec: 1, frac: 0, data: payload(60) }, { sec: 2, frac: 0, data: payload(60) }]), Uint8Array.of(0, 0, 0, 0));
    const { frames, error } = await readAll(openCaptureFile(file('trailing.pcap', bytes)));
    expect(frames).toHaveLength(2);
    expect(error?.code).toBe('BS_PCAP_TRUNCATED_RECORD');
    expect(error?.offset).toBe(bytes.length - 4);
  });
});
