import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCaptureWriter } from '../../src/pcap/create-writer.js';
import { openCaptureFile } from '../../src/pcap/open.js';
import { PcapWriter } from '../../src/pcap/pcap-writer.js';
import { PcapngWriter } from '../../src/pcap/pcapng-writer.js';
import type { FrameBatch, OwnedFrame } from '../../src/source/frame-batch.js';
import { concat, epb, idb, payload, shb } from './build-bytes.js';
import { readAll } from './read-all.js';
import { tempDir } from './temp-file.js';

const file = tempDir();

/** Source capture: three interfaces (two Ethernet, one SLL2), ns and µs resolution, times past 2^53 ns. */
export const sourceCapture = concat(
  shb(true),
  idb(true, 1, 65535, [[2, 'br-web'], [3, 'web bridge'], [9, Uint8Array.of(9)]]),
  idb(true, 276, 262144, [[2, 'any']]),
  idb(true, 1, 1500, [[2, 'veth1234']]),
  ...Array.from({ length: 50 }, (_, i) =>
    // Interface 1 and 2 tick in µs (no if_tsresol), interface 0 in ns.
    epb(true, i % 3, i % 3 === 0 ? 1_704_067_200_123_456_789n + BigInt(i * 1001) : 1_704_067_200_000_000n + BigInt(i), payload(42 + i, i), 60 + i),
  ),
);

async function framesOf(path: string) {
  const src = openCaptureFile(path);
  const result = await readAll(src);
  expect(result.error).toBeNull();
  return { src, frames: result.frames.map(({ tsNs, len, capLen, bytes, ifIndex }) => ({ tsNs, len, capLen, bytes, linkType: src.interfaces[ifIndex].linkType, name: src.interfaces[ifIndex].name })) };
}

/** Copies every batch of `input` into `writer`. */
async function copyInto(input: string, writer: { writeBatch(b: FrameBatch): void }): Promise<void> {
  for await (const b of openCaptureFile(input, { batchFrames: 7, chunkBytes: 512 })) writer.writeBatch(b);
}

describe('capture writers round-trip through our reader', () => {
  it('pcapng: frames, interfaces (names, descriptions, link types), nanosecond times', async () => {
    const input = file('source.pcapng', sourceCapture);
    const out = file('copy.pcapng');
    const w = createCaptureWriter(out, { comment: 'made by a test' });
    expect(w).toBeInstanceOf(PcapngWriter);
    await copyInto(input, w);
    w.close();
    const a = await framesOf(input);
    const b = await framesOf(out);
    expect(b.frames).toEqual(a.frames);
    expect(b.src.interfaces.map(({ linkType, name, description }) => ({ linkType, name, description }))).toEqual(
      a.src.interfaces.map(({ linkType, name, description }) => ({ linkType, name, description })),
    );
    expect(b.src.meta.sectionComments).toEqual(['made by a test']);
    expect(b.src.meta.shbUserAppl).toBe('bridgescope');
  });

  it('pcapng: frame comments, custom blocks, name records, interface statistics at close', async () => {
    const out = file('extras.pcapng');
    const w = new PcapngWriter(out, { hardware: 'hw', os: 'os' });
    const frame: OwnedFrame = { tsSec: 1_704_067_200, tsNsec: 999_999_999, capLen: 3, origLen: 3, ifIndex: 0, linkType: 1, bytes: Uint8Array.of(1, 2, 3) };
    w.writeFrame(frame, ['hello', 'world']);
    w.writeFrame({ ...frame, tsNsec: 5 });
    const snapshot = new TextEncoder().encode('{"networks":[]}\n');
    w.addCustomBlock(32473, snapshot);
    w.addCustomBlock(32473, Uint8Array.of(1, 2, 3), false);
    w.addNameRecords([{ ip: '172.30.0.10', names: ['web-bridge-1'] }, { ip: 'fd00::a', names: ['a', 'b'] }]);
    const batch: FrameBatch = {
      count: 1, data: Uint8Array.of(9, 9), offset: Uint32Array.of(0), capLen: Uint32Array.of(2), origLen: Uint32Array.of(2),
      tsSec: Float64Array.of(5), tsNsec: Uint32Array.of(6), ifIndex: Uint32Array.of(0),
      interfaces: [{ id: 0, linkType: 1, snapLen: 0, name: 'br-x' }],
    };
    w.writeBatch(batch);
    w.close([{ interface: 'br-x', received: 10, droppedByKernel: 2, droppedByInterface: 1 }, { interface: 'absent', received: 1, droppedByKernel: 0, droppedByInterface: 0 }]);
    const { src, frames } = await framesOf(out);
    expect(frames.map((f) => [f.tsNs, f.name])).toEqual([[1_704_067_200_999_999_999n, undefined], [1_704_067_200_000_000_005n, undefined], [5_000_000_006n, 'br-x']]);
    expect(src.meta).toMatchObject({
      shbHardware: 'hw',
      shbOs: 'os',
      frameComments: new Map([[0, ['hello', 'world']]]),
      customBlocks: [
        { pen: 32473, data: snapshot, copyable: true },
        { pen: 32473, data: Uint8Array.of(1, 2, 3, 0), copyable: false },
      ],
      nameRecords: [{ ip: '172.30.0.10', names: ['web-bridge-1'] }, { ip: 'fd00::a', names: ['a', 'b'] }],
      interfaceStats: [{ ifIndex: 1, received: 10n, ifDropped: 1n, osDropped: 2n }],
    });
  });

  it('pcap: nanosecond magic, the first frame sets the link type, a second link type is refused', async () => {
    const out = file('copy.pcap');
    const w = createCaptureWriter(out);
    expect(w).toBeInstanceOf(PcapWriter);
    const frame: OwnedFrame = { tsSec: 4_000_000_000, tsNsec: 123_456_789, capLen: 2, origLen: 80, ifIndex: 0, linkType: 276, bytes: Uint8Array.of(1, 2) };
    w.writeFrame(frame);
    expect(() => w.writeFrame({ ...frame, linkType: 1 })).toThrow(expect.objectContaining({ code: 'BS_PCAP_MIXED_LINK_TYPES' }));
    w.close();
    expect([...readFileSync(out).subarray(0, 4)]).toEqual([0x4d, 0x3c, 0xb2, 0xa1]);
    const { src, frames } = await framesOf(out);
    expect(src.meta.nanosecond).toBe(true);
    expect(frames).toEqual([{ tsNs: 4_000_000_000_123_456_789n, len: 80, capLen: 2, bytes: Uint8Array.of(1, 2), linkType: 276, name: undefined }]);
  });

  it('every batch is on disk when writeBatch returns: the file reads back whole without close (as after SIGKILL)', async () => {
    const input = file('source2.pcapng', sourceCapture);
    for (const name of ['open.pcapng', 'open.pcap']) {
      const out = file(name);
      const w = createCaptureWriter(out);
      let n = 0;
      for await (const b of openCaptureFile(input, { batchFrames: 5 })) {
        if (name.endsWith('.pcap')) {
          for (let i = 0; i < b.count; i++) if (b.interfaces[b.ifIndex[i]].linkType === 1) w.writeFrame({ tsSec: b.tsSec[i], tsNsec: b.tsNsec[i], capLen: b.capLen[i], origLen: b.origLen[i], ifIndex: 0, linkType: 1, bytes: b.data.subarray(b.offset[i], b.offset[i] + b.capLen[i]) });
        } else {
          w.writeBatch(b);
        }
        n += 1;
        const { error } = await readAll(openCaptureFile(out));
        expect(error).toBeNull();
        if (n === 3) break;
      }
      expect(w.framesWritten).toBeGreaterThan(0);
      const { frames } = await readAll(openCaptureFile(out));
      expect(frames.length).toBe(w.framesWritten);
    }
  });

  it('refuses times the format cannot hold instead of wrapping them, leaving the file valid', async () => {
    const frame: OwnedFrame = { tsSec: -1, tsNsec: 0, capLen: 0, origLen: 0, ifIndex: 0, linkType: 1, bytes: new Uint8Array(0) };
    for (const [name, tsSec] of [['t.pcap', -1], ['t.pcap', 2 ** 32], ['t.pcapng', -1], ['t.pcapng', 2 ** 35]] as const) {
      const w = createCaptureWriter(file(name));
      expect(() => w.writeFrame({ ...frame, tsSec })).toThrow(expect.objectContaining({ code: 'BS_PCAP_TIME_OUT_OF_RANGE' }));
      w.writeFrame({ ...frame, tsSec: 1 });
      w.close();
      const { frames, error } = await readAll(openCaptureFile(file(name)));
      expect([frames.length, error]).toEqual([1, null]);
    }
  });

  it('an unwritable path is a CaptureFileError', () => {
    expect(() => createCaptureWriter(file('no-such-dir/x.pcap'))).toThrow(expect.objectContaining({ code: 'BS_PCAP_CANNOT_CREATE' }));
  });
});
