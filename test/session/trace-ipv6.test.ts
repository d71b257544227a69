import { describe, expect, it } from 'vitest';
import { parseIptablesSave } from '../../src/host/iptables.js';
import type { ContainerInfo, Topology } from '../../src/model/topology.js';
import type { OwnedFrame } from '../../src/source/frame-batch.js';
import { couldDrop, packetPaths } from '../../src/session/trace-firewall.js';
import { tallyHops } from '../../src/session/trace-hops.js';
import { inSubnet6, planTrace6, solicitedNode } from '../../src/session/trace-ipv6-plan.js';
import { ipv6TargetReason } from '../../src/session/trace-ipv6-reasons.js';
import type { PingRun } from '../../src/session/trace-ping.js';
import { judgeHops } from '../../src/session/trace-verdict.js';
import { echo6, ipv6Frame, MAC_A, MAC_B, neighborAdvertisement, neighborSolicitation, solicitedNode as groupOf } from '../decode/ipv6-frames.js';

const c = (name: string, id: string, extra: Partial<ContainerInfo> = {}): ContainerInfo => ({
  id, name, label: name, image: 'x', state: 'running', pid: 100, networkMode: { kind: 'bridge' }, sharedWith: [], ...extra,
});
const mac = (b: number[]) => b.map((x) => x.toString(16).padStart(2, '0')).join(':');

/** dualnet (fd29::/64 + 172.29.0.0/24) on br-dual: alpha-web ::20, beta-db ::30; v4-only gamma-cache on v4net. */
const topo: Topology = {
  version: 2, capturedAt: '2026-12-01T00:00:00Z', routes: [], interfaces: [],
  bridges: [],
  networks: [
    { id: 'n1', name: 'dualnet', driver: 'bridge', subnet: '172.29.0.0/24', gateway: '172.29.0.1', subnet6: 'fd29::/64', gateway6: 'fd29::1', bridge: 'br-dual' },
    { id: 'n2', name: 'v4net', driver: 'bridge', subnet: '172.28.0.0/24', gateway: '172.28.0.1', bridge: 'br-v4' },
  ],
  containers: [c('alpha-web', 'aaaa1111'), c('beta-db', 'bbbb2222', { pid: 200 }), c('gamma-cache', 'cccc3333'), c('delta-sidecar', 'dddd4444', { networkMode: { kind: 'container', container: 'alpha-web', containerId: 'aaaa1111' } })],
  endpoints: [
    { containerId: 'aaaa1111', container: 'alpha-web', network: 'dualnet', networkId: 'n1', bridge: 'br-dual', ipv4: '172.29.0.2', ipv6: ['fd29::20', 'fe80::42:acff:fe1c:502'], mac: mac(MAC_A), hostVeth: 'vethaaaa' },
    { containerId: 'bbbb2222', container: 'beta-db', network: 'dualnet', networkId: 'n1', bridge: 'br-dual', ipv4: '172.29.0.3', ipv6: ['fd29::30', 'fe80::42:acff:fe1c:503'], mac: mac(MAC_B), hostVeth: 'vethbbbb' },
    { containerId: 'cccc3333', container: 'gamma-cache', network: 'v4net', networkId: 'n2', bridge: 'br-v4', ipv4: '172.28.0.4', mac: '02:42:ac:1c:00:04', hostVeth: 'vethcccc' },
  ],
};

describe('planTrace6', () => {
  it('a dual-stack pair: A’s veth, the bridge, B’s veth; B’s global address, resolved directly', () => {
    const p = planTrace6(topo, 'alpha-web', 'beta-db');
    expect(p.family).toBe(6);
    expect(p.hops.map((h) => h.label)).toEqual(["alpha-web's vethaaaa", 'br-dual (dualnet)', "beta-db's vethbbbb"]);
    expect([p.fromIp, p.toIp, p.nextHopIp, p.toMac]).toEqual(['fd29::20', 'fd29::30', 'fd29::30', mac(MAC_B)]);
    expect(p.blockers).toEqual([]);
  });
  it('an address in another spelling is its owner’s, in the decoder’s spelling', () => {
    const p = planTrace6(topo, 'alpha-web', 'FD29:0:0::30');
    expect([p.toName, p.toIp]).toEqual(['beta-db', 'fd29::30']);
  });
  it('nobody’s address on the subnet, or off it through the IPv6 gateway', () => {
    const nobody = planTrace6(topo, 'alpha-web', 'fd29::99');
    expect(nobody.notes).toEqual([{ code: 'no-owner', text: 'no container owns fd29::99 on dualnet' }]);
    expect(nobody.nextHopIp).toBe('fd29::99');
    const far = planTrace6(topo, 'alpha-web', '2001:db8::7');
    expect(far.notes[0]).toEqual({ code: 'other-subnet', text: "2001:db8::7 is on a different subnet from alpha-web's (dualnet fd29::/64), and no container owns it" });
    expect(far.nextHopIp).toBe('fd29::1');
  });
  it('a target on an IPv4-only network, or a source there: blocked before any packet, saying why', () => {
    expect(planTrace6(topo, 'alpha-web', 'gamma-cache').blockers).toEqual(['gamma-cache has no IPv6 address on a bridge network (v4net is not dual-stack (docker network create --ipv6))']);
    expect(planTrace6(topo, 'gamma-cache', 'alpha-web').blockers[0]).toBe('gamma-cache has no IPv6 address on a bridge network (v4net is not dual-stack (docker network create --ipv6))');
  });
  it('gateway is the network’s IPv6 gateway; host is the host’s global address, through that gateway; a namespace pair is loopback ::1', () => {
    expect(planTrace6(topo, 'alpha-web', 'gateway').toIp).toBe('fd29::1');
    // As over IPv4: the address of the default route's interface, before another NIC's; never a bridge's.
    const nic = (name: string, ipv6: string[]) => ({ name, ifindex: name.length, ipv4: [], ipv6, up: true });
    const withHost: Topology = {
      ...topo,
      routes: [{ dst: 'default', dev: 'eth0', gateway: '192.0.2.1' }],
      bridges: [{ name: 'br-dual', ifindex: 9, ipv4: [], ports: [] }],
      interfaces: [nic('br-dual', ['fd29::1/64']), nic('eth1', ['2001:db8:1::5/64']), nic('eth0', ['fd00:ab::2/64', '2001:db8:2::2/64'])],
    };
    const host = planTrace6(withHost, 'alpha-web', 'host');
    expect(host.blockers).toEqual([]);
    expect([host.toKind, host.toName, host.toIp, host.nextHopIp, host.fromIp]).toEqual(['host', 'host (fd00:ab::2)', 'fd00:ab::2', 'fd29::1', 'fd29::20']);
    expect(host.hops.map((h) => h.label)).toEqual(["alpha-web's vethaaaa", 'br-dual (dualnet)']);
    expect(host.path).toBe('alpha-web pings the host at fd00:ab::2, through its IPv6 gateway on br-dual');
    const offRoute = planTrace6({ ...withHost, interfaces: withHost.interfaces.filter((i) => i.name !== 'eth0') }, 'alpha-web', 'host');
    expect(offRoute.toIp).toBe('2001:db8:1::5');
    // No global IPv6 address off the bridges (or a topology recorded before they were read): refused, saying why.
    expect(planTrace6({ ...withHost, interfaces: withHost.interfaces.slice(0, 1) }, 'alpha-web', 'host').blockers).toEqual(['the host has no global IPv6 address off the Docker bridges']);
    expect(planTrace6(topo, 'alpha-web', 'host').blockers).toEqual(['the host has no global IPv6 address off the Docker bridges']);
    const lo = planTrace6(topo, 'delta-sidecar', 'alpha-web');
    expect([lo.loopback, lo.toIp, lo.hops.length]).toEqual([true, '::1', 0]);
  });
  it('prefixes and solicited-node groups', () => {
    expect(inSubnet6('fd29::30', 'fd29::/64')).toBe(true);
    expect(inSubnet6('fd29:0:0:1::30', 'fd29::/64')).toBe(false);
    expect(inSubnet6('fd29::30', 'fd29::30')).toBe(true);
    expect(inSubnet6('fd29::32', 'fd29::30/127')).toBe(false);
    expect(inSubnet6('fd29::31', 'fd29::30/127')).toBe(true);
    expect(inSubnet6('fd29::31', 'fd29::30/126')).toBe(true);
    expect(inSubnet6('172.29.0.3', 'fd29::/64')).toBe(false);
    expect(solicitedNode('fd29::a:bc:de30')).toBe(groupOf('fd29::a:bc:de30'));
  });
});

const at = (bytes: Uint8Array, ifIndex: number, ms: number): OwnedFrame => ({ tsSec: 1000, tsNsec: ms * 1e6, capLen: bytes.length, origLen: bytes.length, ifIndex, linkType: 1, bytes });

/** A cold ping -6 on a shared link, as each hop sees it; `reach` is how many hops the requests get to. */
function coldPing(reach: number, replies: boolean): OwnedFrame[] {
  const ns = ipv6Frame({ src: 'fd29::20', dst: groupOf('fd29::30'), next: 58, payload: neighborSolicitation('fd29::30', MAC_A), dstMac: [0x33, 0x33, 0xff, 0, 0, 0x30] });
  const na = ipv6Frame({ src: 'fd29::30', dst: 'fd29::20', next: 58, payload: neighborAdvertisement('fd29::30', 0x60, MAC_B), srcMac: MAC_B, dstMac: MAC_A });
  const req = ipv6Frame({ src: 'fd29::20', dst: 'fd29::30', next: 58, payload: echo6(128, 7, 1) });
  const rep = ipv6Frame({ src: 'fd29::30', dst: 'fd29::20', next: 58, payload: echo6(129, 7, 1), srcMac: MAC_B, dstMac: MAC_A });
  const out: OwnedFrame[] = [];
  for (let hop = 0; hop < 3; hop++) {
    out.push(at(ns, hop, 1), at(na, hop, 2));
    if (hop < reach) out.push(at(req, hop, 3));
    if (replies && reach === 3) out.push(at(rep, hop, 4));
  }
  return out;
}
const IFACES = ['vethaaaa', 'br-dual', 'vethbbbb'];
const ok: PingRun = { via: 'netns', argv: [], exitCode: 0, output: '1 packets transmitted, 1 received', transmitted: 1, received: 1 };
const lost: PingRun = { ...ok, exitCode: 1, output: '1 packets transmitted, 0 received', received: 0 };

describe('trace -6 hops and verdict', () => {
  const plan = planTrace6(topo, 'alpha-web', 'beta-db');
  it('NDP fills the who-has/is-at columns, echo6 the echo ones; the advert’s target MAC stands for B', () => {
    const hops = tallyHops(plan, coldPing(3, true), IFACES, 1000 * 1e3, new Set());
    expect(hops.map((h) => [h.arpRequests.count, h.arpReplies.count, h.echoRequests.count, h.echoReplies.count])).toEqual([[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]]);
    expect(hops[0].answeringMacs).toEqual([mac(MAC_B)]);
    const v = judgeHops(plan, hops, ok, 1, () => undefined);
    expect(v.met).toBe(true);
    expect(v.evidence[0]).toBe("alpha-web's vethaaaa: NDP 1 who-has (+1.0..1.0 ms) / 1 is-at (+2.0..2.0 ms); echo 1 requests (+3.0..3.0 ms) / 1 replies (+4.0..4.0 ms)");
  });
  it('requests lost after the bridge: the segment names it in NDP’s and echo’s words', () => {
    const v = judgeHops(plan, tallyHops(plan, coldPing(2, false), IFACES, 1000 * 1e3, new Set()), lost, 1, () => undefined);
    expect(v.segment).toEqual({ packets: 'echo requests', from: 'br-dual (dualnet)', to: "beta-db's vethbbbb" });
  });
  it('a solicitation nobody answers is an NDP who-has never answered', () => {
    const plan99 = planTrace6(topo, 'alpha-web', 'fd29::99');
    const ns = ipv6Frame({ src: 'fd29::20', dst: groupOf('fd29::99'), next: 58, payload: neighborSolicitation('fd29::99', MAC_A) });
    const hops = tallyHops(plan99, [at(ns, 0, 1), at(ns, 1, 1), at(ns, 0, 1001)], IFACES, 1000 * 1e3, new Set());
    expect(hops.map((h) => h.arpRequests.count)).toEqual([2, 1]);
    const v = judgeHops(plan99, hops, lost, 1, () => undefined);
    expect(v.summary).toBe('NDP who-has fd29::99 (tell fd29::20) was never answered: no container owns fd29::99 on dualnet');
    expect(v.segment?.packets).toBe('neighbor solicitations');
  });
});

describe('trace -6 reasons from the host', () => {
  const plan = planTrace6(topo, 'alpha-web', 'beta-db');
  it('an ip6tables physdev rule as ip6tables-save writes it fits the echo request, not the reply', () => {
    const [rule] = parseIptablesSave('*filter\n[2:208] -A FORWARD -p ipv6-icmp -m physdev --physdev-out vethbbbb -m icmp6 --icmpv6-type 128 -j DROP\nCOMMIT\n');
    const paths = packetPaths(plan);
    expect(paths.filter((p) => couldDrop(rule, p)).map((p) => p.what)).toEqual(['echo request']);
    const [all] = parseIptablesSave('*filter\n[2:208] -A FORWARD -p ipv6-icmp -m physdev --physdev-out vethbbbb -j DROP\nCOMMIT\n');
    expect(paths.filter((p) => couldDrop(all, p)).map((p) => p.what)).toEqual(['echo request', 'neighbor solicitation']);
    const [v4] = parseIptablesSave('*filter\n[2:168] -A FORWARD -p icmp -m physdev --physdev-out vethbbbb -j DROP\nCOMMIT\n');
    expect(paths.filter((p) => couldDrop(v4, p))).toEqual([]);
    const [dst] = parseIptablesSave('*filter\n[2:208] -A FORWARD -d fd29::30/128 -p ipv6-icmp -j DROP\nCOMMIT\n');
    expect(paths.filter((p) => couldDrop(dst, p)).map((p) => p.what)).toEqual(['echo request']);
  });
  it('B’s namespace without the address Docker gave it is the reason; holding it, or not read, is none', () => {
    expect(ipv6TargetReason(plan, { addresses: [], disabled: true })?.text).toBe(
      "Docker gave beta-db fd29::30, but beta-db's namespace does not hold it: ip -6 addr there lists no IPv6 address (IPv6 is disabled there: net.ipv6.conf.all.disable_ipv6=1), so nothing answers for fd29::30",
    );
    expect(ipv6TargetReason(plan, { addresses: ['::1', 'fd29:0::30', 'fe80::1'], disabled: false })).toBeUndefined();
    expect(ipv6TargetReason(plan, { addresses: [], error: 'nsenter failed' })).toBeUndefined();
  });
});
