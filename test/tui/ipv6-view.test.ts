import { describe, expect, it } from 'vitest';
import { linkLocalOf } from '../../src/annotate/address.js';
import { TopologyResolver } from '../../src/annotate/topology-resolver.js';
import { FrameDecoder } from '../../src/decode/index.js';
import { noNames } from '../../src/model/endpoint.js';
import { compileFilter } from '../../src/tui/filter/display-filter.js';
import { frameLayers } from '../../src/tui/view-model/frame-layers.js';
import { ipv6LayerCount } from '../../src/tui/view-model/ipv6-layers.js';
import { MAC_A, echo6, ipv6Datagram, ipv6EdgeCases, ipv6Frame, neighborSolicitation, solicitedNode } from '../decode/ipv6-frames.js';

const dec = new FrameDecoder();
const edges = ipv6EdgeCases();
const r = new TopologyResolver({
  version: 2, capturedAt: '', interfaces: [], bridges: [], networks: [], containers: [], routes: [],
  endpoints: [{ containerId: 'a1', container: 'alpha-web', network: 'dual', networkId: 'n1', mac: '02:42:ac:1c:05:02', ipv6: ['fd42:b5::2', linkLocalOf('02:42:ac:1c:05:02')] }],
});

describe('IPv6 in the TUI', () => {
  it('filters on icmp6, ndp, mld and IPv6 addresses (ND targets count)', () => {
    const count = (text: string) => edges.filter((b) => compileFilter(text)!(dec.decode(b, 1), r, 0)).length;
    expect(count('icmp6')).toBe(edges.length - 1); // the later fragment has no ICMPv6 header
    expect(count('ipv6')).toBe(edges.length);
    expect(count('ndp')).toBe(6);
    expect(count('mld')).toBe(2);
    expect(count('ndp and fd42:b5::3')).toBe(2);
    expect(count('fe80::1')).toBe(6); // four errors, the RA and the redirect
    expect(count('ipv6 and not icmp6')).toBe(1);
    expect(count('alpha-web and ndp')).toBeGreaterThan(0);
    expect(() => compileFilter('fd42:::1')).toThrow(/neither a MAC nor an IPv6 address/);
  });

  it('shows IPv6, its extension headers, ICMPv6 with ND options, and an error quote as layers', () => {
    const ns = ipv6Frame({ src: 'fd42:b5::2', dst: solicitedNode('fd42:b5::3'), next: 58, payload: neighborSolicitation('fd42:b5::3', MAC_A), ext: [[0, [0, 5, 2, 0, 0, 1, 0]]] });
    const f = dec.decode(ns, 1);
    const layers = frameLayers(f, 1, 0, 0, r);
    expect(layers.map((l) => l.name)).toEqual(['Frame 1', 'Ethernet', 'IPv6', 'IPv6 hop-by-hop', 'ICMPv6 (NDP)']);
    expect(layers[2].fields[0]).toBe('source fd42:b5::2 (alpha-web)');
    expect(layers[4].fields).toContain('target fd42:b5::3');
    expect(layers[4].fields).toContain('option source link-layer address (8 bytes) 02:42:ac:1c:05:02');
    expect(layers[3].fields).toContain('router alert');
    for (const b of [ns, ...edges]) {
      const g = dec.decode(b, 1);
      expect(frameLayers(g, 1, 0, 0, noNames).length).toBe(2 + ipv6LayerCount(g));
    }
    const unreach = frameLayers(dec.decode(edges[5], 1), 1, 0, 0, noNames);
    expect(unreach.at(-1)?.fields.at(-1)).toBe('quoted ICMPv6 echo request, code 0, id 6, seq 0');
    const echo = frameLayers(dec.decode(ipv6Frame({ src: 'fd42:b5::2', dst: 'fd42:b5::3', next: 58, payload: echo6(128, 6, 1) }), 1), 1, 0, 0, noNames);
    expect(echo.at(-1)?.fields).toContain('id 6 (0x6), seq 1');
  });

  it('shows the extension headers of the datagram an ICMPv6 error quotes, each as a layer over its bytes', () => {
    const quoted = ipv6Datagram({
      src: 'fd42:b5::2', dst: 'fd42:b5::3', hopLimit: 64, next: 58, payload: echo6(128, 9, 4),
      ext: [[0, [0, 5, 2, 0, 0, 1, 0]], [60, [0, 1, 4, 0, 0, 0, 0]], [44, [0, 0, 1, 0x12, 0x34, 0x56, 0x78]]],
    });
    const error = (q: number[]) => ipv6Frame({ src: 'fe80::1', dst: 'fd42:b5::2', next: 58, payload: [4, 1, 0, 0, 0, 0, 0, 40, ...q] });
    const frame = error(quoted);
    const f = dec.decode(frame, 1);
    const layers = frameLayers(f, 1, 0, 0, noNames);
    expect(layers.map((l) => l.name)).toEqual([
      'Frame 1', 'Ethernet', 'IPv6', 'ICMPv6', 'Quoted datagram', 'Quoted IPv6 hop-by-hop', 'Quoted IPv6 destination options', 'Quoted IPv6 fragment',
    ]);
    expect(layers.length).toBe(2 + ipv6LayerCount(f));
    const [hbh, dest, frag] = layers.slice(5);
    expect(hbh.fields).toEqual(['next header 60 (destination options), 8 bytes', 'router alert']);
    expect(dest.fields).toEqual(['next header 44 (fragment), 8 bytes']);
    expect(frag.fields).toEqual(['next header 58 (ICMPv6), 8 bytes', 'fragment offset 0, more fragments, id 0x12345678']);
    expect(layers[4].fields).toContain('hop limit 64, next header 0 (hop-by-hop)');
    // Each layer covers its own bytes of the quote: 14 Ethernet + 40 IPv6 + 8 ICMPv6 + 40 quoted IPv6.
    expect([hbh, dest, frag].map((l) => [l.start, l.end])).toEqual([[102, 110], [110, 118], [118, 126]]);
    expect(frame[hbh.start]).toBe(60);
    expect(layers[4].fields.at(-1)).toBe('quoted ICMPv6 echo request, code 0, id 9, seq 4');
    // The outer datagram has no extension headers: none of the quote's is shown as the frame's own.
    expect(layers.some((l) => l.name.startsWith('IPv6 '))).toBe(false);

    // A quote cut inside its chain shows the headers that fitted, and no upper layer.
    const cut = dec.decode(error(quoted.slice(0, 40 + 8 + 4)), 1);
    const cutLayers = frameLayers(cut, 2, 0, 0, noNames);
    expect(cut.problem).toBeNull();
    expect(cutLayers.map((l) => l.name).slice(4)).toEqual(['Quoted datagram', 'Quoted IPv6 hop-by-hop']);
    expect(cutLayers.length).toBe(2 + ipv6LayerCount(cut));
  });
});
