import { describe, expect, it } from 'vitest';
import { tempDir } from '../pcap/temp-file.js';
import { OVERLAY, encapsulate, innerArpRequest, innerEcho } from '../decode/vxlan-frames.js';
import { interfaces, writeMultiInterface, type Sighting } from './multi-if.js';
import { mergeCopies, type CopyMergeOptions } from '../../src/copies/copy-merge-source.js';
import { copyLayoutFor, ipv4CopyLayout } from '../../src/decode/copy-layout.js';
import { openCaptureFile } from '../../src/pcap/open.js';
import { copyFrame, interfaceHost, type CaptureInterface, type OwnedFrame } from '../../src/source/frame-batch.js';

const file = tempDir();
let n = 0;
async function merged(ifs: CaptureInterface[], sightings: Sighting[], opts: CopyMergeOptions = {}, batchFrames?: number, layout = ipv4CopyLayout): Promise<OwnedFrame[]> {
  const path = file(`hosts-${n++}.pcapng`);
  writeMultiInterface(path, ifs, sightings);
  const frames: OwnedFrame[] = [];
  for await (const b of mergeCopies(openCaptureFile(path, { batchFrames }), layout, opts)) for (let i = 0; i < b.count; i++) frames.push(copyFrame(b, i));
  return frames;
}
const hopIfs = (f: OwnedFrame) => f.hops?.map((h) => h.ifIndex);

const tunnel = { vni: 4097, outerSrc: OVERLAY.h1, outerDst: OVERLAY.h2 };
const request = innerEcho(OVERLAY.alphaMac, OVERLAY.betaMac, OVERLAY.alpha, OVERLAY.beta, 8, 1);
const vxlan = encapsulate(tunnel, request);

describe('copy merge across hosts', () => {
  it('names interfaces host:target, so a written file keeps each interface host', () => {
    expect(interfaceHost({ id: 0, linkType: 1, snapLen: 0, name: 'dh2:eth0' })).toBe('dh2');
    expect(interfaceHost({ id: 0, linkType: 1, snapLen: 0, name: 'veth12', host: 'dh3' })).toBe('dh3');
    expect(interfaceHost({ id: 0, linkType: 1, snapLen: 0, name: 'veth12' })).toBe('');
  });

  it('the VXLAN datagram sent by one host and received by the other is one frame with both hops', async () => {
    const frames = await merged(interfaces('dh1:eth0', 'dh2:eth0'), [{ us: 0, on: 0, bytes: vxlan }, { us: 180, on: 1, bytes: vxlan }]);
    expect(frames.map(hopIfs)).toEqual([[0, 1]]);
  });

  it('the frame on a container veth and the same frame inside VXLAN on the underlay are one frame (the tunnelled rule)', async () => {
    const ifs = interfaces('dh1:bs-alpha', 'dh1:eth0', 'dh2:eth0', 'dh2:bs-beta');
    const frames = await merged(ifs, [
      { us: 0, on: 0, bytes: request }, { us: 20, on: 1, bytes: vxlan }, { us: 200, on: 2, bytes: vxlan }, { us: 230, on: 3, bytes: request },
    ]);
    expect(frames.map(hopIfs)).toEqual([[0, 1, 2, 3]]);
    // The merged frame keeps its first sighting's interface and time, and takes the datagram's
    // bytes: the same frame, plus the VNI and underlay hosts that name it and that its line shows.
    const [first, second] = frames[0].hops!;
    expect([frames[0].ifIndex, frames[0].tsSec, frames[0].tsNsec]).toEqual([first.ifIndex, first.tsSec, first.tsNsec]);
    expect(second.tsNsec - first.tsNsec).toBe(20_000);
    expect(frames[0].bytes).toEqual(vxlan);
  });

  it('a frame that took its tunnelled copy\'s bytes leaves the frames held after it intact across batches', async () => {
    const echo = (seq: number) => innerEcho(OVERLAY.alphaMac, OVERLAY.betaMac, OVERLAY.alpha, OVERLAY.beta, 8, seq);
    const ifs = interfaces('bs-alpha', 'bs-ul0');
    const arp = innerArpRequest(OVERLAY.alphaMac, OVERLAY.alpha, OVERLAY.beta);
    // Batches of one frame: the first knows one interface and passes unmerged; the ARP declares the
    // underlay. Seq 2's datagram comes after seq 3 was stored, so seq 2's bytes lie past seq 3's when the ARP leaves.
    const frames = await merged(ifs, [
      { us: 0, on: 0, bytes: echo(1) }, { us: 10, on: 1, bytes: arp }, { us: 1000, on: 0, bytes: echo(2) }, { us: 1500, on: 0, bytes: echo(3) },
      { us: 2000, on: 1, bytes: encapsulate(tunnel, echo(2)) }, { us: 6000, on: 0, bytes: echo(4) }, { us: 9000, on: 0, bytes: echo(5) },
    ], {}, 1);
    expect(frames.map(hopIfs)).toEqual([undefined, [1], [0, 1], [0], [0], [0]]);
    expect(frames.map((f) => f.bytes)).toEqual([echo(1), arp, encapsulate(tunnel, echo(2)), echo(3), echo(4), echo(5)]);
  });

  it('a tunnel carrying another frame is not a copy: the inner bytes must be the same', async () => {
    const other = encapsulate(tunnel, innerEcho(OVERLAY.alphaMac, OVERLAY.betaMac, OVERLAY.alpha, OVERLAY.beta, 8, 2));
    const frames = await merged(interfaces('dh1:bs-alpha', 'dh1:eth0'), [{ us: 0, on: 0, bytes: request }, { us: 20, on: 1, bytes: other }]);
    expect(frames.map(hopIfs)).toEqual([[0], [1]]);
  });

  it('across hosts, copies up to the host window (25 ms) apart merge; within one host only the copy window (5 ms)', async () => {
    const arp = innerArpRequest(OVERLAY.alphaMac, OVERLAY.alpha, OVERLAY.beta);
    const at = (ms: number, on: number, bytes: Uint8Array): Sighting => ({ us: ms * 1000, on, bytes });
    // 12 ms apart: two hosts whose clocks disagree by 12 ms; the same gap on one host is two frames.
    const twoHosts = await merged(interfaces('dh1:eth0', 'dh2:eth0'), [at(0, 0, arp), at(12, 1, arp)]);
    expect(twoHosts.map(hopIfs)).toEqual([[0, 1]]);
    const oneHost = await merged(interfaces('dh1:eth0', 'dh1:eth1'), [at(0, 0, arp), at(12, 1, arp)]);
    expect(oneHost.map(hopIfs)).toEqual([[0], [1]]);
    // Past the host window the clocks disagree too much: each host's sighting is a frame of its own.
    const skewed = await merged(interfaces('dh1:eth0', 'dh2:eth0'), [at(0, 0, arp), at(40, 1, arp)]);
    expect(skewed.map(hopIfs)).toEqual([[0], [1]]);
    const wider = await merged(interfaces('dh1:eth0', 'dh2:eth0'), [at(0, 0, arp), at(40, 1, arp)], { hostWindowMs: 50 });
    expect(wider.map(hopIfs)).toEqual([[0, 1]]);
  });

  it('one host captured twice over on one interface is still two frames (sent twice)', async () => {
    const frames = await merged(interfaces('dh1:eth0', 'dh2:eth0'), [{ us: 0, on: 0, bytes: vxlan }, { us: 500, on: 0, bytes: vxlan }, { us: 600, on: 1, bytes: vxlan }]);
    expect(frames.map(hopIfs)).toEqual([[0, 1], [0]]);
  });

  it('opens VXLAN on a port Docker\'s --data-path-port moved only when the layout is given that port', async () => {
    const moved = encapsulate({ ...tunnel, dstPort: 7789 }, request);
    const sightings = [{ us: 0, on: 0, bytes: request }, { us: 20, on: 1, bytes: moved }];
    const ifs = interfaces('dh1:bs-alpha', 'dh1:eth0');
    expect((await merged(ifs, sightings)).map(hopIfs)).toEqual([[0], [1]]);
    expect((await merged(ifs, sightings, {}, undefined, copyLayoutFor([4789, 7789]))).map(hopIfs)).toEqual([[0, 1]]);
  });
});
