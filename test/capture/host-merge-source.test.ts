import { writeFileSync, readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { A, B, echoFrame } from '../analyze/build-frames.js';
import { interfaces, writeMultiInterface } from '../copies/multi-if.js';
import { tempDir } from '../pcap/temp-file.js';
import { HostMergeSource } from '../../src/capture/host-merge-source.js';
import type { InterfaceEnd } from '../../src/capture/merged-source.js';
import { openCaptureFile, openCaptureStream } from '../../src/pcap/open.js';

const file = tempDir();

/** A host's capture as a file: echo requests with seq = the ms they were seen at. */
function hostFile(name: string, iface: string, ms: number[]): string {
  const path = file(`${name}.pcapng`);
  writeMultiInterface(path, interfaces(iface), ms.map((t) => ({ us: t * 1000, on: 0, bytes: echoFrame(8, A, B, 1, t) })));
  return path;
}

async function drain(src: HostMergeSource): Promise<{ seq: number; iface: string }[]> {
  const out: { seq: number; iface: string }[] = [];
  for await (const b of src) {
    for (let i = 0; i < b.count; i++) {
      const at = b.offset[i] + 14 + 20 + 6;
      out.push({ seq: (b.data[at] << 8) | b.data[at + 1], iface: b.interfaces[b.ifIndex[i]].name ?? '?' });
    }
  }
  return out;
}

describe('HostMergeSource: several captures on one timeline', () => {
  it('orders parts that are files by timestamp across them, each frame with its interface', async () => {
    const parts = [
      { source: openCaptureFile(hostFile('one', 'dh1:eth0', [0, 2, 4, 7])) },
      { source: openCaptureFile(hostFile('two', 'dh2:eth0', [1, 3, 5, 6])) },
    ];
    const frames = await drain(new HostMergeSource(parts, { mergeWindowMs: 5000 }));
    expect(frames).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((seq) => ({ seq, iface: [1, 3, 5, 6].includes(seq) ? 'dh2:eth0' : 'dh1:eth0' })));
  });

  it('orders them when one part\'s frames come later than the other\'s, all at once', async () => {
    // The second host's whole capture arrives 100 ms after the first's: its earlier frames still come first.
    const late = new PassThrough();
    setTimeout(() => late.end(readFileSync(hostFile('two-late', 'dh2:eth0', [1, 3, 5, 6]))), 100);
    const parts = [{ source: openCaptureFile(hostFile('one-early', 'dh1:eth0', [0, 2, 4, 7])) }, { source: openCaptureStream(late, 'dh2') }];
    const frames = await drain(new HostMergeSource(parts, { mergeWindowMs: 5000 }));
    expect(frames).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((seq) => ({ seq, iface: [1, 3, 5, 6].includes(seq) ? 'dh2:eth0' : 'dh1:eth0' })));
  });

  it('holds a part\'s frames for a silent part for the window of wall time, then goes on while it stays silent', async () => {
    // A stream that has sent nothing, not even its header, and stays open: a host that is slow to start.
    const silent = new PassThrough();
    const WINDOW = 300;
    const t0 = Date.now();
    const src = new HostMergeSource([{ source: openCaptureFile(hostFile('five', 'dh1:eth0', [0, 2])) }, { source: openCaptureStream(silent, 'dh2:eth0') }], { mergeWindowMs: WINDOW });
    const seen: number[] = [];
    for await (const b of src) {
      seen.push(b.count);
      // Frames of 2023 are long past any cutoff by their timestamps: only the wall time held them.
      expect(Date.now() - t0).toBeGreaterThanOrEqual(WINDOW - 5);
      silent.end();
    }
    expect(seen).toEqual([2]);
  });

  it('a part that fails ends with its reason, once; the other part is read to its end', async () => {
    const bad = file('cut.pcapng');
    const whole = readFileSync(hostFile('three', 'dh3:eth0', [1, 3]));
    writeFileSync(bad, whole.subarray(0, whole.length - 10));
    const ends: InterfaceEnd[] = [];
    const src = new HostMergeSource([
      { source: openCaptureFile(hostFile('four', 'dh1:eth0', [0, 2, 4, 6])) },
      { source: openCaptureFile(bad) },
    ], { mergeWindowMs: 50, onInterfaceEnd: (e) => ends.push(e) });
    const frames = await drain(src);
    expect(frames.filter((f) => f.iface === 'dh1:eth0').map((f) => f.seq)).toEqual([0, 2, 4, 6]);
    expect(frames.filter((f) => f.iface === 'dh3:eth0').map((f) => f.seq)).toEqual([1]);
    expect(ends).toHaveLength(1);
    expect(ends[0].interface).toBe('dh3:eth0');
    expect(ends[0].reason).toMatch(/cut\.pcapng/);
    expect(src.endReasons()).toEqual(ends);
  });
});
