import { describe, expect, it } from 'vitest';
import { FrameDecoder, describeProblem } from '../../src/decode/index.js';
import { MAC_A, MAC_B, echo6, ipv6Frame, neighborAdvertisement, neighborSolicitation, solicitedNode } from './ipv6-frames.js';

const A = 'fd42:b5::2';
const B = 'fd42:b5::3';
const dec = new FrameDecoder();

describe('IPv6 and ICMPv6 decoding', () => {
  it('reads a Neighbor Solicitation with its source link-layer option', () => {
    const f = dec.decode(ipv6Frame({ src: A, dst: solicitedNode(B), next: 58, payload: neighborSolicitation(B, MAC_A) }), 1);
    expect(f.problem).toBeNull();
    expect(f.protocol).toBe('ICMPv6');
    expect(f.ipv6!.dst).toBe('ff02::1:ff00:3');
    expect(f.ipv6!.dstMulticast).toBe(true);
    expect(f.icmp6!.type).toBe(135);
    expect(f.icmp6!.target).toBe(B);
    expect(f.ndOptions.sourceLinkAddr).toBe('02:42:ac:1c:05:02');
    expect(f.ndOptions.linkAddrNum(1)).toBe(0x0242ac1c0502);
    expect(f.ndOptions.hasTargetLinkAddr).toBe(false);
  });

  it('reads advertisement flags and the target link-layer option', () => {
    const f = dec.decode(ipv6Frame({ src: B, dst: A, next: 58, payload: neighborAdvertisement(B, 0x60, MAC_B) }), 1);
    const na = f.icmp6!;
    expect([na.naRouter, na.naSolicited, na.naOverride]).toEqual([false, true, true]);
    expect(f.ndOptions.targetLinkAddr).toBe('02:42:ac:1c:05:03');
  });

  it('knows a DAD probe by its unspecified source', () => {
    const f = dec.decode(ipv6Frame({ src: '::', dst: solicitedNode(A), next: 58, payload: neighborSolicitation(A) }), 1);
    expect(f.ipv6!.srcUnspecified).toBe(true);
    expect(f.ndOptions.count).toBe(0);
  });

  it('walks hop-by-hop, destination options and a fragment header to the echo', () => {
    const f = dec.decode(ipv6Frame({
      src: A, dst: B, next: 58, payload: echo6(128, 9, 4),
      ext: [[0, [0, 5, 2, 0, 0, 1, 0]], [60, [0, 1, 4, 0, 0, 0, 0]], [44, [0, 0, 1, 0, 0, 0, 42]]],
    }), 1);
    expect(f.problem).toBeNull();
    expect(f.ipv6Ext.names()).toEqual(['hop-by-hop', 'destination options', 'fragment']);
    expect(f.ipv6Ext.routerAlert).toBe(true);
    expect(f.ipv6Ext.moreFragments).toBe(true);
    expect(f.ipv6Ext.fragmentId).toBe(42);
    expect([f.icmp6!.identifier, f.icmp6!.sequence]).toEqual([9, 4]);
  });

  it('does not open a later fragment', () => {
    const f = dec.decode(ipv6Frame({ src: A, dst: B, next: 58, payload: Array(16).fill(0), ext: [[44, [0, 0, 0x11, 0, 0, 0, 1]]] }), 1);
    expect(f.protocol).toBe('IPv6 fragment');
    expect(f.ipv6Ext.fragmentOffset).toBe(16);
    expect(f.icmp6).toBeNull();
  });

  it('reports a chain that repeats a header (a loop) as malformed data', () => {
    const frag = [0, 0, 0, 0, 0, 0, 1] as number[];
    const f = dec.decode(ipv6Frame({ src: A, dst: B, next: 58, payload: echo6(128, 1, 1), ext: [[44, frag], [44, frag]] }), 1);
    expect(f.problem).toMatchObject({ code: 'malformed', layer: 'ipv6-ext', offset: 62 });
    expect(describeProblem(f.problem!)).toContain('fragment header repeated');
    expect(f.ipv6!.src).toBe(A);
    expect(f.icmp6).toBeNull();
  });

  it('stops after MAX_IPV6_EXT destination options headers', () => {
    const dst: [number, number[]][] = Array.from({ length: 9 }, () => [60, [0, 1, 4, 0, 0, 0, 0]]);
    const f = dec.decode(ipv6Frame({ src: A, dst: B, next: 58, payload: echo6(128, 1, 1), ext: dst }), 1);
    expect(f.problem).toMatchObject({ code: 'unsupported', layer: 'ipv6-ext' });
  });

  it('reports hop-by-hop after another header', () => {
    const f = dec.decode(ipv6Frame({ src: A, dst: B, next: 58, payload: echo6(128, 1, 1), ext: [[60, [0, 1, 4, 0, 0, 0, 0]], [0, [0, 1, 4, 0, 0, 0, 0]]] }), 1);
    expect(describeProblem(f.problem!)).toContain('hop-by-hop header after the destination options header');
  });

  it('reports an extension header that runs past the frame, and an option past its header', () => {
    const long = dec.decode(ipv6Frame({ src: A, dst: B, next: 58, payload: [], ext: [[60, [3, 1, 4, 0, 0, 0, 0]]] }), 1);
    expect(long.problem).toMatchObject({ code: 'truncated', layer: 'ipv6-ext', required: 32, actual: 8 });
    const opt = dec.decode(ipv6Frame({ src: A, dst: B, next: 58, payload: echo6(128, 1, 1), ext: [[0, [0, 1, 9, 0, 0, 0, 0]]] }), 1);
    expect(describeProblem(opt.problem!)).toContain('runs past the 8-byte header');
  });

  it('reports a payload length beyond the frame', () => {
    const bytes = ipv6Frame({ src: A, dst: B, next: 58, payload: echo6(128, 1, 1) });
    bytes[19] += 8;
    const f = dec.decode(bytes, 1);
    expect(f.problem).toMatchObject({ code: 'malformed', layer: 'ipv6' });
    expect(f.icmp6!.identifier).toBe(1);
  });

  it('reports an ND option of length 0 and keeps the options before it', () => {
    const ns = [...neighborSolicitation(B, MAC_A), 14, 0, 0, 0, 0, 0, 0, 0];
    const f = dec.decode(ipv6Frame({ src: A, dst: solicitedNode(B), next: 58, payload: ns }), 1);
    expect(f.problem).toMatchObject({ code: 'malformed', layer: 'ndp', offset: 14 + 40 + 24 });
    expect(describeProblem(f.problem!)).toContain('option 14 has length 0');
    expect(f.ndOptions.count).toBe(1);
    expect(f.icmp6!.target).toBe(B);
  });

  it('keeps type and code of a message shorter than its type, nothing more', () => {
    const f = dec.decode(ipv6Frame({ src: A, dst: B, next: 58, payload: neighborSolicitation(B).slice(0, 12) }), 1);
    expect(f.problem).toMatchObject({ code: 'malformed', layer: 'icmp6', required: 24, actual: 12 });
    expect(f.icmp6!.type).toBe(135);
    expect(f.icmp6!.complete).toBe(false);
  });

  it('opens the datagram an error quotes', () => {
    const inner = ipv6Frame({ src: A, dst: B, next: 58, payload: echo6(128, 6, 3), hopLimit: 1 }).subarray(14);
    const f = dec.decode(ipv6Frame({ src: 'fe80::1', dst: A, next: 58, payload: [3, 0, 0, 0, 0, 0, 0, 0, ...inner] }), 1);
    expect(f.problem).toBeNull();
    expect(f.quotedIpv6!.dst).toBe(B);
    expect([f.quotedIcmp6!.type, f.quotedIcmp6!.identifier, f.quotedIcmp6!.sequence]).toEqual([128, 6, 3]);
  });

  it('never reads past a frame cut at every length', () => {
    const full = ipv6Frame({ src: A, dst: solicitedNode(B), next: 58, payload: neighborSolicitation(B, MAC_A), ext: [[0, [0, 5, 2, 0, 0, 1, 0]]] });
    const optionsAt = full.length - 8;
    for (let n = 0; n <= full.length; n++) {
      const f = dec.decode(full.subarray(0, n), 1, full.length);
      // A cut exactly before the options leaves a whole message: only truncatedBySnaplen tells.
      if (n < full.length && n !== optionsAt) expect(f.problem?.code, `cut at ${n}`).toBe('truncated');
      if (f.icmp6?.complete) expect(f.icmp6.target).toBe(B);
      for (let i = 0; i < f.ndOptions.count; i++) expect(f.ndOptions.offset[i] + f.ndOptions.length[i]).toBeLessThanOrEqual(n);
    }
  });
});
