import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { openCaptureFile, openCaptureStream } from '../../src/pcap/open.js';
import { concat, payload, pcapFile, type PcapRecord } from './build-bytes.js';
import { readAll } from './read-all.js';
import { tempDir } from './temp-file.js';

const file = tempDir();

const records: PcapRecord[] = [
  { sec: 1_700_000_000, frac: 123_456, data: payload(60, 1) },
  { sec: 1_700_000_001, frac: 999_999, data: payload(42, 2), origLen: 1514 },
  { sec: 4_000_000_000, frac: 0, data: payload(1, 3) },
];

describe('classic pcap reader', () => {
  for (const le of [true, false]) {
    for (const nano of [false, true]) {
      it(`reads ${le ? 'little' : 'big'}-endian ${nano ? 'nanosecond' : 'microsecond'} files exactly`, async () => {
        const recs = records.map((r) => ({ ...r, frac: nano ? r.frac * 1000 + 789 : r.frac }));
        const path = file(`basic-${le}-${nano}.pcap`, pcapFile({ le, nano, linkType: 113, snapLen: 2000 }, recs));
        const src = openCaptureFile(path);
        const { frames, error } = await readAll(src);
        expect(error).toBeNull();
        expect(src.meta).toMatchObject({ format: 'pcap', nanosecond: nano });
        expect(src.interfaces).toEqual([{ id: 0, linkType: 113, snapLen: 2000 }]);
        expect(frames.map((f) => [f.tsSec, f.tsNsec, f.capLen, f.len, f.ifIndex])).toEqual(
          recs.map((r) => [r.sec, nano ? r.frac : r.frac * 1000, r.data.length, r.origLen ?? r.data.length, 0]),
        );
        frames.forEach((f, i) => expect(f.bytes).toEqual(recs[i].data));
      });
    }
  }

  it('masks the FCS bits off the link type field', async () => {
    const path = file('fcs.pcap', pcapFile({ linkType: 0x14000001 }, records));
    const src = openCaptureFile(path);
    await readAll(src);
    expect(src.interfaces[0].linkType).toBe(1);
  });

  it('carries an out-of-range sub-second field into the seconds', async () => {
    const path = file('carry.pcap', pcapFile({}, [{ sec: 10, frac: 2_500_000, data: payload(4) }]));
    const { frames } = await readAll(openCaptureFile(path));
    expect([frames[0].tsSec, frames[0].tsNsec]).toEqual([12, 500_000_000]);
  });

  it('accepts what tshark accepts: zero-length frames, caplen above snaplen, caplen above the frame length', async () => {
    const recs = [
      { sec: 1, frac: 0, data: new Uint8Array(0), origLen: 60 },
      { sec: 2, frac: 0, data: payload(100), origLen: 100 },
      { sec: 3, frac: 0, data: payload(100), origLen: 50 },
    ];
    const { frames, error } = await readAll(openCaptureFile(file('lenient.pcap', pcapFile({ snapLen: 64 }, recs))));
    expect(error).toBeNull();
    expect(frames.map((f) => [f.capLen, f.len])).toEqual([[0, 60], [100, 100], [100, 50]]);
  });

  it('reads a header-only file as zero frames', async () => {
    const { frames, error } = await readAll(openCaptureFile(file('header-only.pcap', pcapFile({}, []))));
    expect([frames.length, error]).toEqual([0, null]);
  });

  it('carries records across small chunks, grows the chunk for a record larger than it, and bounds batches', async () => {
    const many = Array.from({ length: 500 }, (_, i) => ({ sec: 1000 + i, frac: i, data: payload(i % 7 === 0 ? 3000 : 50 + (i % 13), i) }));
    const path = file('many.pcap', pcapFile({}, many));
    const src = openCaptureFile(path, { chunkBytes: 1024, batchFrames: 16 });
    let maxBatch = 0;
    let batches = 0;
    const got: number[] = [];
    for await (const b of src) {
      batches++;
      maxBatch = Math.max(maxBatch, b.count);
      for (let i = 0; i < b.count; i++) {
        got.push(b.tsSec[i]);
        // Frame bytes are views into the chunk: check them while the batch is alive.
        const start = b.offset[i];
        expect(b.data.subarray(start, start + b.capLen[i])).toEqual(many[got.length - 1].data);
      }
    }
    expect(got).toEqual(many.map((r) => r.sec));
    expect(maxBatch).toBeLessThanOrEqual(16);
    expect(batches).toBeGreaterThan(500 / 16);
  });

  it('reads nothing ahead: a consumer that stops pulling stops the reader (backpressure)', async () => {
    const many = Array.from({ length: 2000 }, (_, i) => ({ sec: i, frac: 0, data: payload(100, i) }));
    const bytes = pcapFile({}, many);
    let pulled = 0;
    const stream = Readable.from((function* () {
      for (let at = 0; at < bytes.length; at += 4096) {
        pulled += Math.min(4096, bytes.length - at);
        yield Buffer.from(bytes.subarray(at, at + 4096));
      }
    })(), { objectMode: true });
    const src = openCaptureStream(stream, 'pipe', { chunkBytes: 8192, batchFrames: 10 });
    const it = src[Symbol.asyncIterator]();
    await it.next();
    expect(pulled).toBeLessThan(8192 + 2 * 4096);
    await it.return?.();
    await src.close();
  });

  it('reads from a stream (standard input path) the same as from a file', async () => {
    const bytes = concat(pcapFile({ nano: true }, records.map((r) => ({ ...r, frac: r.frac * 1000 }))));
    const chunks = [bytes.subarray(0, 5), bytes.subarray(5, 40), bytes.subarray(40)].map((c) => Buffer.from(c));
    const { frames, error } = await readAll(openCaptureStream(Readable.from(chunks), '-', { chunkBytes: 64 }));
    expect(error).toBeNull();
    expect(frames.map((f) => f.len)).toEqual(records.map((r) => r.origLen ?? r.data.length));
  });
});
