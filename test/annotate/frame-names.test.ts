import { describe, expect, it } from 'vitest';
import { ipv4ToNumber, ipv6ToBytes } from '../../src/annotate/address.js';
import { destinationEndpoint, sourceEndpoint } from '../../src/annotate/frame-names.js';
import { TopologyResolver } from '../../src/annotate/topology-resolver.js';
import { ArpOp, EtherType, FrameDecoder, IcmpType, IpProto, LinkType, VXLAN_PORT, emitArpFrame, emitEchoFrame, emitEthernet, emitIcmp6, emitIpv4, emitIpv6, emitUdp, formatIpv4Number, formatMacNumber, type DecodedFrame, type HostAddress } from '../../src/decode/index.js';
import type { Resolver } from '../../src/model/endpoint.js';
import type { EndpointInfo, Topology } from '../../src/model/topology.js';

const T = 1_700_000_000;

const WEB = { mac: 0x02_42_ac_11_00_02, ip: ipv4ToNumber('172.17.0.2'), ip6: 'fd00::2' };
const DB = { mac: 0x02_42_ac_11_00_03, ip: ipv4ToNumber('172.17.0.3'), ip6: 'fd00::3' };
/** Known by MAC only (its IPv4 is not in the topology). */
const ROUTER = { mac: 0x02_42_ac_11_00_01, ip: ipv4ToNumber('10.9.9.9') };
const STRANGER = { mac: 0x02_00_00_00_00_99, ip: ipv4ToNumber('10.0.0.99') };
/** On the overlay of VNI 4097 only: a VXLAN frame is named by endpoints of its VNI's overlay. */
const OVERLAY_WEB = { mac: 0x02_42_0a_00_01_02, ip: ipv4ToNumber('10.0.1.2') };

function endpoint(containerId: string, network: string, m: number, ip?: number, ipv6?: string): EndpointInfo {
  return { containerId, container: containerId, network, networkId: network, mac: formatMacNumber(m), ipv4: ip === undefined ? undefined : formatIpv4Number(ip), ipv6: ipv6 ? [ipv6] : undefined };
}

const topology: Topology = {
  version: 2,
  capturedAt: '2026-12-06T00:00:00Z',
  interfaces: [],
  bridges: [],
  routes: [],
  networks: [{ id: 'ov', name: 'ov', driver: 'overlay', vni: [4097] }],
  containers: [],
  endpoints: [
    endpoint('web', 'br', WEB.mac, WEB.ip, WEB.ip6),
    endpoint('db', 'br', DB.mac, DB.ip, DB.ip6),
    endpoint('router', 'br', ROUTER.mac),
    endpoint('ov-web', 'ov', OVERLAY_WEB.mac, OVERLAY_WEB.ip),
  ],
};
const names = new TopologyResolver(topology);
const decode = (bytes: Uint8Array): DecodedFrame => new FrameDecoder().decode(bytes, LinkType.ETHERNET);
const labels = (f: DecodedFrame, r: Resolver = names) => [sourceEndpoint(f, r, T)?.label, destinationEndpoint(f, r, T)?.label];

const echo = (from: HostAddress, to: HostAddress, ethSrc = from.mac, ethDst = to.mac) => emitEchoFrame(IcmpType.ECHO_REQUEST, from, to, 1, 1, { src: ethSrc, dst: ethDst });

function vxlan(vni: number, inner: Uint8Array): Uint8Array {
  const header = new Uint8Array([0x08, 0, 0, 0, (vni >>> 16) & 255, (vni >>> 8) & 255, vni & 255, 0]);
  const udp = emitUdp({ srcPort: 40000, dstPort: VXLAN_PORT }, new Uint8Array([...header, ...inner]));
  const ip = emitIpv4({ src: ipv4ToNumber('192.168.0.1'), dst: ipv4ToNumber('192.168.0.2'), protocol: IpProto.UDP }, udp);
  return emitEthernet({ src: 0x02_00_00_00_0e_01, dst: 0x02_00_00_00_0e_02, type: EtherType.IPv4 }, ip);
}

describe('sourceEndpoint and destinationEndpoint', () => {
  it('name an IPv4 frame by its addresses, not its MACs (a routed frame carries the gateway MAC)', () => {
    expect(labels(decode(echo(WEB, DB, ROUTER.mac, ROUTER.mac)))).toEqual(['web', 'db']);
  });

  it('fall back to the MAC when the IPv4 address has no name, and to nothing when neither has', () => {
    expect(labels(decode(echo(STRANGER, DB, ROUTER.mac, STRANGER.mac)))).toEqual(['router', 'db']);
    expect(labels(decode(echo(STRANGER, STRANGER)))).toEqual([undefined, undefined]);
  });

  it('name an ARP sender by its IPv4 address, and the target by the destination MAC only', () => {
    expect(labels(decode(emitArpFrame(ArpOp.REQUEST, { mac: ROUTER.mac, ip: WEB.ip }, DB)))).toEqual(['web', undefined]);
    expect(labels(decode(emitArpFrame(ArpOp.REPLY, DB, WEB)))).toEqual(['db', 'web']);
    // A probe (sender 0.0.0.0) is its MAC's.
    expect(labels(decode(emitArpFrame(ArpOp.REQUEST, { mac: ROUTER.mac, ip: 0 }, DB)))).toEqual(['router', undefined]);
  });

  it('name an IPv6 frame by its addresses, or by MACs for a resolver without IPv6 names', () => {
    const src = ipv6ToBytes(WEB.ip6);
    const dst = ipv6ToBytes(DB.ip6);
    const icmp6 = emitIcmp6({ type: 128, src, dst }, new Uint8Array([0, 1, 0, 1]));
    const frame = decode(emitEthernet({ src: ROUTER.mac, dst: ROUTER.mac, type: EtherType.IPv6 }, emitIpv6({ src, dst, nextHeader: IpProto.ICMPv6 }, icmp6)));
    expect(labels(frame)).toEqual(['web', 'db']);
    const ipv4Only: Resolver = { byMac: (m, t) => names.byMac(m, t), byIpv4: (i, t) => names.byIpv4(i, t), byIfIndex: (i, t) => names.byIfIndex(i, t) };
    expect(labels(frame, ipv4Only)).toEqual(['router', 'router']);
  });

  it('name a VXLAN frame only by endpoints of the overlay its VNI names', () => {
    expect(labels(decode(vxlan(4097, echo(OVERLAY_WEB, WEB))))).toEqual(['ov-web', undefined]);
    expect(labels(decode(vxlan(4098, echo(OVERLAY_WEB, WEB))))).toEqual([undefined, undefined]);
  });
});
