import { describe, expect, it } from 'vitest';
import { A, B, arpFrame, echoFrame } from '../analyze/build-frames.js';
import { tempDir } from '../pcap/temp-file.js';
import { interfaces, routed, writeMultiInterface, type Sighting } from './multi-if.js';
import { mergeCopies, type CopyMergeOptions } from '../../src/copies/copy-merge-source.js';
import { ipv4CopyLayout } from '../../src/decode/copy-layout.js';
import { openCaptureFile } from '../../src/pcap/open.js';
import { copyFrame, type CaptureInterface, type OwnedFrame } from '../../src/source/frame-batch.js';

const file = tempDir();
const BRIDGED = interfaces('vethA', 'br-test', 'vethB');
const ROUTED = interfaces('vethA', 'br-one', 'br-two', 'vethB');
const ROUTER_MAC_TWO = [0x02, 0x42, 0x0a, 0x00, 0x00, 0x01];
const B_MAC = [0x02, 0x42, 0xac, 0x1e, 0x00, 0x0b];

let n = 0;
async function merged(ifs: CaptureInterface[], sightings: Sighting[], opts: CopyMergeOptions & { batchFrames?: number } = {}): Promise<OwnedFrame[]> {
  const path = file(`case-${n++}.pcapng`);
  writeMultiInterface(path, ifs, sightings);
  const frames: OwnedFrame[] = [];
  for await (const b of mergeCopies(openCaptureFile(path, { batchFrames: opts.batchFrames }), ipv4CopyLayout, opts)) {
    for (let i = 0; i < b.count; i++) frames.push(copyFrame(b, i));
  }
  return frames;
}

const hopIfs = (f: OwnedFrame) => f.hops?.map((h) => h.ifIndex);
const hopUs = (f: OwnedFrame) => f.hops?.map((h) => h.tsNsec / 1000);

/** A ping A -> B crossing vethA, the bridge and vethB, request at `us`, reply 50 µs later. */
function bridgedPing(us: number, seq: number): Sighting[] {
  const req = echoFrame(8, A, B, 7, seq);
  const rep = echoFrame(0, B, A, 7, seq);
  return [
    { us, on: 0, bytes: req }, { us: us + 5, on: 1, bytes: req }, { us: us + 12, on: 2, bytes: req },
    { us: us + 50, on: 2, bytes: rep }, { us: us + 53, on: 1, bytes: rep }, { us: us + 60, on: 0, bytes: rep },
  ];
}

describe('copy merge', () => {
  it('bridged: one frame seen on both veths and the bridge is one frame with three hops', async () => {
    const frames = await merged(BRIDGED, [...bridgedPing(0, 1), ...bridgedPing(1000, 2)]);
    expect(frames).toHaveLength(4);
    expect(frames.map(hopIfs)).toEqual([[0, 1, 2], [2, 1, 0], [0, 1, 2], [2, 1, 0]]);
    expect(hopUs(frames[0])).toEqual([0, 5, 12]);
    expect(frames[1].ifIndex).toBe(2);
    expect(frames[1].tsNsec).toBe(50_000);
  });

  it('a copy in the next batch is merged all the same (two frames per batch: every copy after the first crosses)', async () => {
    const frames = await merged(BRIDGED, [...bridgedPing(0, 1), ...bridgedPing(1000, 2)], { batchFrames: 2 });
    expect(frames.map(hopIfs)).toEqual([[0, 1, 2], [2, 1, 0], [0, 1, 2], [2, 1, 0]]);
  });

  it('routed: the packet one TTL lower with rewritten MACs on the next bridge is the same frame', async () => {
    const req = echoFrame(8, A, B, 7, 1);
    const after = routed(req, B_MAC, ROUTER_MAC_TWO);
    const frames = await merged(ROUTED, [
      { us: 0, on: 0, bytes: req }, { us: 4, on: 1, bytes: req }, { us: 20, on: 2, bytes: after }, { us: 26, on: 3, bytes: after },
    ]);
    expect(frames.map(hopIfs)).toEqual([[0, 1, 2, 3]]);
    expect(frames[0].bytes).toEqual(req);
  });

  it('routed: a TTL that is not lower, or a packet that differs beyond TTL and checksum, is another frame', async () => {
    const req = echoFrame(8, A, B, 7, 1);
    const higher = routed(routed(req, B_MAC, ROUTER_MAC_TWO), B_MAC, ROUTER_MAC_TWO);
    higher[14 + 8] += 2;
    const otherSeq = routed(echoFrame(8, A, B, 7, 2), B_MAC, ROUTER_MAC_TWO);
    const sameTtlOtherMac = new Uint8Array(req);
    sameTtlOtherMac.set(ROUTER_MAC_TWO, 6);
    const frames = await merged(ROUTED, [
      { us: 0, on: 1, bytes: req }, { us: 10, on: 2, bytes: higher }, { us: 20, on: 2, bytes: otherSeq }, { us: 30, on: 3, bytes: sameTtlOtherMac },
    ]);
    expect(frames).toHaveLength(4);
  });

  it('two genuinely repeated ARP requests stay two, each with its own copies', async () => {
    const req = arpFrame(1, A, { ip: B.ip });
    const frames = await merged(BRIDGED, [
      { us: 0, on: 0, bytes: req }, { us: 6, on: 1, bytes: req }, { us: 9, on: 2, bytes: req },
      { us: 1_000_000, on: 0, bytes: req }, { us: 1_000_006, on: 1, bytes: req }, { us: 1_000_009, on: 2, bytes: req },
    ]);
    expect(frames.map(hopIfs)).toEqual([[0, 1, 2], [0, 1, 2]]);
  });

  it('repeated within the window (arping fast), copies interleaved: two frames, oldest takes the first copy', async () => {
    const req = arpFrame(1, A, { ip: B.ip });
    const frames = await merged(BRIDGED, [
      { us: 0, on: 0, bytes: req }, { us: 2, on: 0, bytes: req }, { us: 6, on: 1, bytes: req }, { us: 8, on: 1, bytes: req },
    ]);
    expect(frames.map(hopIfs)).toEqual([[0, 1], [0, 1]]);
    expect(frames.map(hopUs)).toEqual([[0, 6], [2, 8]]);
  });

  it('a retransmission on the same interface stays two frames', async () => {
    const req = echoFrame(8, A, B, 7, 1);
    const other = echoFrame(8, A, B, 7, 9);
    const frames = await merged(BRIDGED, [{ us: 0, on: 0, bytes: other }, { us: 10, on: 1, bytes: req }, { us: 800, on: 1, bytes: req }]);
    expect(frames.map(hopIfs)).toEqual([[0], [1], [1]]);
  });

  it('a copy later than the window is a frame of its own; a wider window merges it', async () => {
    const req = echoFrame(8, A, B, 7, 1);
    const late: Sighting[] = [{ us: 0, on: 0, bytes: req }, { us: 10_000, on: 1, bytes: req }, { us: 30_000, on: 2, bytes: echoFrame(8, A, B, 7, 2) }];
    expect((await merged(BRIDGED, late)).map(hopIfs)).toEqual([[0], [1], [2]]);
    expect((await merged(BRIDGED, late, { windowMs: 20 })).map(hopIfs)).toEqual([[0, 1], [2]]);
  });

  it('--all-copies keeps every copy as captured, without hops', async () => {
    const frames = await merged(BRIDGED, bridgedPing(0, 1), { allCopies: true });
    expect(frames.map((f) => f.ifIndex)).toEqual([0, 1, 2, 2, 1, 0]);
    expect(frames.every((f) => f.hops === undefined)).toBe(true);
  });

  it('a one-interface source passes through: the same batches, no hops', async () => {
    const path = file('one.pcapng');
    const req = echoFrame(8, A, B, 7, 1);
    writeMultiInterface(path, interfaces('br-test'), [{ us: 0, on: 0, bytes: req }, { us: 5, on: 0, bytes: req }]);
    const inner = openCaptureFile(path);
    const seen: unknown[] = [];
    const direct: unknown[] = [];
    for await (const b of openCaptureFile(path)) direct.push(b.count);
    for await (const b of mergeCopies(inner, ipv4CopyLayout)) {
      expect(b.hops).toBeUndefined();
      seen.push(b.count);
    }
    expect(seen).toEqual(direct);
  });
});
