import { describe, expect, it } from 'vitest';
import { FrameDecoder } from '../../src/decode/index.js';
import { noNames } from '../../src/model/endpoint.js';
import { icmp6Info } from '../../src/present/frame-info6.js';
import { echo6, ipv6Datagram, ipv6Frame } from './ipv6-frames.js';

const A = 'fd42:b5::2';
const B = 'fd42:b5::3';
const ROUTER = 'fe80::1';
const PAD = [0, 1, 4, 0, 0, 0, 0]; // an 8-byte options header: PadN 4

/** ROUTER's error of `type` quoting `quoted` (a datagram's bytes, possibly cut). */
const errorFrame = (type: number, quoted: number[]) => ipv6Frame({ src: ROUTER, dst: A, next: 58, payload: [type, 0, 0, 0, 0, 0, 0x05, 0, ...quoted] });
const dec = new FrameDecoder();
const decode = (b: Uint8Array) => dec.decode(b, 1, b.length);

describe('extension headers inside an ICMPv6 error’s quoted datagram', () => {
  it('hop-by-hop, destination options and a fragment header are walked to the quoted echo', () => {
    const quoted = ipv6Datagram({ src: A, dst: B, ext: [[0, PAD], [60, PAD], [44, [0, 0, 0, 0x12, 0x34, 0x56, 0x78]]], next: 58, payload: echo6(128, 6, 9) });
    const f = decode(errorFrame(2, quoted));
    expect(f.problem).toBeNull();
    expect(f.quotedIpv6?.nextHeader).toBe(0);
    expect(f.quotedIpv6?.upperProtocol).toBe(58);
    expect(f.quotedIpv6?.upperOffset).toBe(f.quotedIpv6!.offset + 40 + 24);
    expect([f.quotedIcmp6?.type, f.quotedIcmp6?.identifier, f.quotedIcmp6?.sequence]).toEqual([128, 6, 9]);
    // The outer datagram's own chain is not the quote's.
    expect(f.ipv6Ext.count).toBe(0);
    expect(icmp6Info(f, noNames, 0)).toBe(`ICMPv6 packet too big, mtu 1280 for ${A} > ${B} ICMPv6 echo request id 6 seq 9`);
  });

  it('a quote that ends inside its chain: upper layer unknown, no echo read, and no damage to the frame', () => {
    const whole = ipv6Datagram({ src: A, dst: B, ext: [[0, PAD], [60, PAD]], next: 58, payload: echo6(128, 6, 9) });
    for (const cut of [40 + 1, 40 + 8 + 4]) {
      const f = decode(errorFrame(1, whole.slice(0, cut)));
      expect(f.problem, `cut at ${cut}`).toBeNull();
      expect(f.quotedIpv6?.upperProtocol).toBe(-1);
      expect(f.quotedIcmp6).toBeNull();
    }
  });

  it('a damaged quoted chain (hop-by-hop after another header, a repeated routing header, an option past its header) stops the walk there, quietly', () => {
    const chains: [number, number[]][][] = [
      [[60, PAD], [0, PAD]],
      [[43, [0, 0, 0, 0, 0, 0, 0]], [43, [0, 0, 0, 0, 0, 0, 0]]],
      [[0, [0, 1, 9, 0, 0, 0, 0]]],
    ];
    for (const ext of chains) {
      const f = decode(errorFrame(1, ipv6Datagram({ src: A, dst: B, ext, next: 58, payload: echo6(128, 6, 9) })));
      expect(f.problem, JSON.stringify(ext)).toBeNull();
      expect(f.quotedIpv6?.upperProtocol).toBe(-1);
      expect(f.quotedIcmp6).toBeNull();
      expect(icmp6Info(f, noNames, 0)).toMatch(new RegExp(`^ICMPv6 destination unreachable \\(no route\\) for ${A} > ${B} \\S`));
    }
  });

  it('more headers than the walk takes, in a quote: stopped, not a problem; the same chain outside a quote still is one', () => {
    const ext: [number, number[]][] = Array.from({ length: 9 }, () => [60, PAD]);
    const f = decode(errorFrame(1, ipv6Datagram({ src: A, dst: B, ext, next: 58, payload: echo6(128, 6, 9) })));
    expect(f.problem).toBeNull();
    expect(f.quotedIcmp6).toBeNull();
    const outer = decode(ipv6Frame({ src: A, dst: B, ext, next: 58, payload: echo6(128, 6, 9) }));
    expect(outer.problem).toMatchObject({ code: 'unsupported', layer: 'ipv6-ext' });
    const misplaced = decode(ipv6Frame({ src: A, dst: B, ext: [[60, PAD], [0, PAD]], next: 58, payload: echo6(128, 6, 9) }));
    expect(misplaced.problem).toMatchObject({ code: 'malformed', layer: 'ipv6-ext' });
    expect(misplaced.problem?.detail).toContain('hop-by-hop header after the destination options header');
  });
});
