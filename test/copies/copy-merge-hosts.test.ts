import { describe, expect, it } from 'vitest';
import { tempDir } from '../pcap/temp-file.js';
import { OVERLAY, encapsulate, innerArpRequest, innerEcho } from '../decode/vxlan-frames.js';
import { interfaces, writeMultiInterface, type Sighting } from './multi-if.js';
import { mergeCopies, type CopyMergeOptions } from '../../src/copies/copy-merge-source.js';
import { ipv4CopyLayout } from '../../src/decode/copy-layout.js';
import { openCaptureFile } from '../../src/pcap/open.js';
import { copyFrame, interfaceHost, type CaptureInterface, type OwnedFrame } from '../../src/source/frame-batch.js';

const file = tempDir();
let n = 0;
async function merged(ifs: CaptureInterface[], sightings: Sighting[], opts: CopyMergeOptions = {}): Promise<OwnedFrame[]> {
  const path = file(`hosts-${n++}.pcapng`);
  writeMultiInterface(path, ifs, sightings);
  const frames: OwnedFrame[] = [];
  for await (const b of mergeCopies(openCaptureFile(path), ipv4CopyLayout, opts)) for (let i = 0; i < b.count; i++) frames.push(copyFrame(b, i));
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
    // The merged frame is the first sighting: the plain one, not the datagram.
    expect(frames[0].capLen).toBe(request.length);
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
});
