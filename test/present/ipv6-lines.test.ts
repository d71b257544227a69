import { describe, expect, it } from 'vitest';
import { ipv6ToBytes, linkLocalOf } from '../../src/annotate/address.js';
import { GATEWAY_LABEL, TopologyResolver } from '../../src/annotate/topology-resolver.js';
import { FrameDecoder } from '../../src/decode/index.js';
import type { Topology } from '../../src/model/topology.js';
import { frameRecord } from '../../src/present/ndjson.js';
import { frameInfo } from '../../src/present/frame-info.js';
import { TextFormatter } from '../../src/present/text-line.js';
import { MAC_A, MAC_B, echo6, ipv6EdgeCases, ipv6Frame, neighborAdvertisement, neighborSolicitation, solicitedNode } from '../decode/ipv6-frames.js';

const A = 'fd42:b5::2';
const B = 'fd42:b5::3';
const mac = (m: number[]) => m.map((x) => x.toString(16).padStart(2, '0')).join(':');

/** A hand-made dual-stack topology: alpha-web and beta-db on one bridge with a ULA and a gateway. */
function dualStack(): Topology {
  const ep = (container: string, id: string, m: number[], ip4: string, ip6: string) => ({
    containerId: id, container, network: 'dual', networkId: 'n1', bridge: 'br-dual', mac: mac(m), ipv4: ip4, ipv6: [ip6, linkLocalOf(mac(m))],
  });
  return {
    version: 2, capturedAt: '2026-01-01T00:00:00Z', interfaces: [], routes: [],
    bridges: [{ name: 'br-dual', ifindex: 9, mac: '02:42:5e:00:00:01', ipv4: ['172.28.5.1/24'], network: 'dual', ports: [] }],
    networks: [{ id: 'n1', name: 'dual', driver: 'bridge', subnet: '172.28.5.0/24', gateway: '172.28.5.1', subnet6: 'fd42:b5::/64', gateway6: 'fd42:b5::1', bridge: 'br-dual' }],
    containers: [],
    endpoints: [ep('alpha-web', 'a1', MAC_A, '172.28.5.2', A), ep('beta-db', 'b1', MAC_B, '172.28.5.3', B)],
  };
}

const r = new TopologyResolver(dualStack());
const dec = new FrameDecoder();
const text = new TextFormatter({ resolver: r });
const line = (bytes: Uint8Array) => text.line(dec.decode(bytes, 1), 1_700_000_000, 0).replace(/^\S+\s+/, '');

describe('IPv6 names', () => {
  it('derives the link-local address the kernel does (EUI-64)', () => {
    expect(linkLocalOf('02:42:ac:1c:05:02')).toBe('fe80::42:acff:fe1c:502');
    expect(linkLocalOf('00:0c:29:2f:80:31')).toBe('fe80::20c:29ff:fe2f:8031');
    expect(() => ipv6ToBytes('fd42::b5::1')).toThrow(RangeError);
    expect([...ipv6ToBytes('::ffff:10.0.0.1').subarray(10)]).toEqual([255, 255, 10, 0, 0, 1]);
  });

  it('resolves global, link-local and gateway addresses from the bytes of a frame', () => {
    expect(r.byIpv6(ipv6ToBytes(A), 0)?.label).toBe('alpha-web');
    expect(r.byIpv6(ipv6ToBytes(linkLocalOf(mac(MAC_B))), 0)?.label).toBe('beta-db');
    expect(r.byIpv6(ipv6ToBytes('fd42:b5::1'), 0)?.label).toBe(GATEWAY_LABEL);
    expect(r.byIpv6(ipv6ToBytes(linkLocalOf('02:42:5e:00:00:01')), 0)?.label).toBe(GATEWAY_LABEL);
    expect(r.byIpv6(ipv6ToBytes('fd42:b5::99'), 0)).toBeUndefined();
    // At an arena offset, as the hot loop passes it.
    const arena = new Uint8Array(40);
    arena.set(ipv6ToBytes(B), 21);
    expect(r.byIpv6(arena, 21)?.label).toBe('beta-db');
  });
});

describe('IPv6 text lines', () => {
  it('reads Neighbor Discovery like ARP, with names', () => {
    const ns = ipv6Frame({ src: A, dst: solicitedNode(B), next: 58, payload: neighborSolicitation(B, MAC_A), dstMac: [0x33, 0x33, 0xff, 0, 0, 3] });
    expect(line(ns)).toBe('alpha-web > ff02::1:ff00:3  NDP who-has fd42:b5::3 (beta-db) tell fd42:b5::2 (alpha-web)');
    const na = ipv6Frame({ src: B, dst: A, next: 58, payload: neighborAdvertisement(B, 0x60, MAC_B), srcMac: MAC_B, dstMac: MAC_A });
    expect(line(na)).toBe('beta-db > alpha-web  NDP fd42:b5::3 (beta-db) is-at 02:42:ac:1c:05:03 (solicited, override)');
    const dad = ipv6Frame({ src: '::', dst: solicitedNode(A), next: 58, payload: neighborSolicitation(A), dstMac: [0x33, 0x33, 0xff, 0, 0, 2] });
    expect(line(dad)).toBe('alpha-web > ff02::1:ff00:2  NDP who-has fd42:b5::2 (alpha-web) tell :: (probe)');
  });

  it('reads echo and errors with their quote', () => {
    expect(line(ipv6Frame({ src: A, dst: B, next: 58, payload: echo6(128, 6, 0) }))).toBe('alpha-web > beta-db  ICMPv6 echo request, id 6, seq 0');
    const summaries = ipv6EdgeCases().map((b) => frameInfo(dec.decode(b, 1), r, 0));
    expect(summaries).toContain('ICMPv6 destination unreachable (address unreachable) for fd42:b5::2 (alpha-web) > fd42:b5::3 (beta-db) ICMPv6 echo request id 6 seq 0');
    expect(summaries).toContain('ICMPv6 packet too big, mtu 1280 for fd42:b5::2 (alpha-web) > fd42:b5::3 (beta-db) ICMPv6 echo request id 6 seq 0');
    expect(summaries).toContain('ICMPv6 parameter problem (unrecognized next header), pointer 6 for fd42:b5::2 (alpha-web) > fd42:b5::3 (beta-db) ICMPv6 echo request id 6 seq 0');
    expect(summaries).toContain('NDP router advertisement, hop limit 64, lifetime 1800s, managed, mtu 1500');
    expect(summaries).toContain('MLD report v2, 1 group record');
    expect(summaries).toContain('IPv6 fragment fd42:b5::2 > fd42:b5::3, fragment offset 16+ id 0x12345678');
  });
});

describe('IPv6 NDJSON', () => {
  it('has ipv6, icmp6 and ndp objects', () => {
    const na = ipv6Frame({ src: B, dst: A, next: 58, payload: neighborAdvertisement(B, 0x60, MAC_B), srcMac: MAC_B, dstMac: MAC_A });
    const rec = frameRecord(dec.decode(na, 1), 1, 0, 0, r);
    expect(rec.src.name).toBe('beta-db');
    expect(rec.ipv6).toEqual({ src: B, dst: A, hopLimit: 255, proto: 58, flow: 0, tclass: 0 });
    expect(rec.icmp6).toEqual({ type: 136, code: 0, name: 'neighbor advertisement' });
    expect(rec.ndp).toEqual({ kind: 'advert', target: B, targetMac: '02:42:ac:1c:05:03', router: false, solicited: true, override: true, options: [2] });
    const frag = frameRecord(dec.decode(ipv6EdgeCases()[15], 1), 2, 0, 0, r);
    expect(frag.ipv6?.ext).toEqual(['fragment']);
    expect(frag.ipv6?.frag).toEqual({ offset: 0, more: true, id: 0x12345678 });
    expect(frag.icmp6).toMatchObject({ type: 128, id: 8, seq: 2 });
  });
});
