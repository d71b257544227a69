import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../pcap/temp-file.js';
import { OVERLAY, encapsulate, innerEcho } from '../decode/vxlan-frames.js';
import { interfaces, writeMultiInterface } from '../copies/multi-if.js';
import { vxlanFilter } from '../../src/session/overlay-points.js';
import { describeLive } from '../support/live.js';

const file = tempDir();
const echo = innerEcho(OVERLAY.alphaMac, OVERLAY.betaMac, OVERLAY.alpha, OVERLAY.beta, 8, 1);
const h3: [number, number, number, number] = [10, 231, 0, 13];
// One datagram per case, in this order: the overlay's VNI both ways, another VNI, a third host, another port.
const frames = [
  encapsulate({ vni: 4097, outerSrc: OVERLAY.h1, outerDst: OVERLAY.h2 }, echo),
  encapsulate({ vni: 4097, outerSrc: OVERLAY.h2, outerDst: OVERLAY.h1 }, echo),
  encapsulate({ vni: 4098, outerSrc: OVERLAY.h1, outerDst: OVERLAY.h2 }, echo),
  encapsulate({ vni: 4097, outerSrc: OVERLAY.h1, outerDst: h3 }, echo),
  encapsulate({ vni: 4097, outerSrc: OVERLAY.h1, outerDst: OVERLAY.h2, dstPort: 4790 }, echo),
];

/** Which of the frames tcpdump (libpcap's compiler, as the capture uses) lets through `filter`, by index. */
function passes(filter: string): number[] {
  const path = file(`f-${Math.random().toString(36).slice(2)}.pcapng`);
  writeMultiInterface(path, interfaces('bs-ul0'), frames.map((bytes, k) => ({ us: k * 10, on: 0, bytes })));
  const out = execFileSync('tcpdump', ['-n', '-tt', '-r', path, filter], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  // A datagram's line starts with its time (-tt); the frame it carries follows on a line of its own.
  return out.split('\n').filter((l) => /^\d+\.\d+ /.test(l)).map((l) => Math.round((Number(l.split(' ')[0]) % 1) * 1e5));
}

describe('the VXLAN filter of an overlay capture', () => {
  it('is written in pcap-filter syntax', () => {
    expect(vxlanFilter(['10.231.0.11', '10.231.0.12'], [4097])).toBe(
      'udp port 4789 and (src host 10.231.0.11 or src host 10.231.0.12) and (dst host 10.231.0.11 or dst host 10.231.0.12) and ((udp[12:4] & 0xffffff00) = 1048832)',
    );
    expect(vxlanFilter(['10.231.0.11'])).toBe('udp port 4789 and host 10.231.0.11');
  });
});

describeLive('the VXLAN filter, compiled by libpcap', { tools: ['tcpdump'] }, () => {
  it('lets through only VXLAN between the hosts carrying the overlay\'s VNI', () => {
    expect(passes(vxlanFilter(['10.231.0.11', '10.231.0.12'], [4097]))).toEqual([0, 1]);
    expect(passes(vxlanFilter(['10.231.0.11', '10.231.0.12'], [4097, 4098]))).toEqual([0, 1, 2]);
    // One host alone: its VXLAN with any peer.
    expect(passes(vxlanFilter(['10.231.0.11'], [4097]))).toEqual([0, 1, 3]);
  });
});
