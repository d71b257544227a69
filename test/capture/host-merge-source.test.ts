import { writeFileSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { A, B, echoFrame } from '../analyze/build-frames.js';
import { interfaces, writeMultiInterface } from '../copies/multi-if.js';
import { tempDir } from '../pcap/temp-file.js';
import { HostMergeSource } from '../../src/capture/host-merge-source.js';
import type { InterfaceEnd } from '../../src/capture/merged-source.js';
import { openCaptureFile } from '../../src/pcap/open.js';

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
  it('keeps each part\'s frames in order with their interfaces', async () => {
    const parts = [
      { source: openCaptureFile(hostFile('one', 'dh1:eth0', [0, 2, 4])) },
      { source: openCaptureFile(hostFile('two', 'dh2:eth0', [1, 3, 5])) },
    ];
    const frames = await drain(new HostMergeSource(parts, { mergeWindowMs: 5000 }));
    // Known gap: two file parts are not held for each other (cause not found yet), so which part
    // comes first depends on the read order; each part's own order and interface hold.
    // Live parts are ordered across hosts (test/capture/remote-capture.live.test.ts).
    const of = (iface: string) => frames.filter((f) => f.iface === iface).map((f) => f.seq);
    expect(of('dh1:eth0')).toEqual([0, 2, 4]);
    expect(of('dh2:eth0')).toEqual([1, 3, 5]);
    expect(frames).toHaveLength(6);
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
