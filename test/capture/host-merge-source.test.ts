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
  // Times of now, as a live capture's: the merge releases a frame older than now minus its window
  // at once, so frames of the distant past would leave the order to which file is read first.
  const base = Date.now() * 1000;
  writeMultiInterface(path, interfaces(iface), ms.map((t) => ({ us: base + t * 1000, on: 0, bytes: echoFrame(8, A, B, 1, t) })));
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
  it('orders the parts\' frames by timestamp and keeps each part\'s interfaces', async () => {
    const parts = [
      { source: openCaptureFile(hostFile('one', 'dh1:eth0', [0, 2, 4])) },
      { source: openCaptureFile(hostFile('two', 'dh2:eth0', [1, 3, 5])) },
    ];
    const frames = await drain(new HostMergeSource(parts, { mergeWindowMs: 5000 }));
    expect(frames.map((f) => f.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(frames.map((f) => f.iface)).toEqual(['dh1:eth0', 'dh2:eth0', 'dh1:eth0', 'dh2:eth0', 'dh1:eth0', 'dh2:eth0']);
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
