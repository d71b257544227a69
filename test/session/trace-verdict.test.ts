import { describe, expect, it } from 'vitest';
import type { ContainerInfo, Topology } from '../../src/model/topology.js';
import type { HopReport } from '../../src/session/trace-hops.js';
import type { PingRun } from '../../src/session/trace-ping.js';
import { planTrace, TraceTargetError } from '../../src/session/trace-plan.js';
import { judgeHops } from '../../src/session/trace-verdict.js';

const c = (name: string, id: string, extra: Partial<ContainerInfo> = {}): ContainerInfo => ({
  id, name, label: name, image: 'x', state: 'running', pid: 100, networkMode: { kind: 'bridge' }, sharedWith: [], ...extra,
});

/** shopnet 172.29.0.0/24 on br-shop: alpha-web .2, beta-db .3; delta-sidecar in alpha-web's namespace. */
const topo: Topology = {
  version: 2, capturedAt: '2026-12-01T00:00:00Z', routes: [{ dst: 'default', dev: 'eth0' }],
  interfaces: [{ name: 'eth0', ifindex: 2, ipv4: ['10.0.0.5/24'], up: true }, { name: 'br-shop', ifindex: 3, ipv4: ['172.29.0.1/24'], up: true }],
  bridges: [{ name: 'br-shop', ifindex: 3, ipv4: ['172.29.0.1/24'], network: 'shopnet', ports: [] }],
  networks: [{ id: 'n1', name: 'shopnet', driver: 'bridge', subnet: '172.29.0.0/24', gateway: '172.29.0.1', bridge: 'br-shop' }],
  containers: [
    c('alpha-web', 'aaaa1111'), c('beta-db', 'bbbb2222'),
    c('delta-sidecar', 'dddd4444', { networkMode: { kind: 'container', container: 'alpha-web', containerId: 'aaaa1111' } }),
  ],
  endpoints: [
    { containerId: 'aaaa1111', container: 'alpha-web', network: 'shopnet', networkId: 'n1', bridge: 'br-shop', ipv4: '172.29.0.2', mac: '02:42:ac:1d:00:02', hostVeth: 'veth848035b' },
    { containerId: 'bbbb2222', container: 'beta-db', network: 'shopnet', networkId: 'n1', bridge: 'br-shop', ipv4: '172.29.0.3', mac: '02:42:ac:1d:00:03', hostVeth: 'veth1cf8419' },
  ],
};

describe('planTrace', () => {
  it('a container pair on one network: A’s veth, the bridge, B’s veth, B resolved directly', () => {
    const p = planTrace(topo, 'alpha-web', 'bbbb2222');
    expect(p.hops.map((h) => h.label)).toEqual(["alpha-web's veth848035b", 'br-shop (shopnet)', "beta-db's veth1cf8419"]);
    expect([p.toIp, p.nextHopIp, p.toMac]).toEqual(['172.29.0.3', '172.29.0.3', '02:42:ac:1d:00:03']);
  });
  it('an address: its owner when one has it, else nobody on the subnet, else another subnet through the gateway', () => {
    expect(planTrace(topo, 'alpha-web', '172.29.0.3').toName).toBe('beta-db');
    const nobody = planTrace(topo, 'alpha-web', '172.29.0.99');
    expect(nobody.notes).toEqual([{ code: 'no-owner', text: 'no container owns 172.29.0.99 on shopnet' }]);
    expect(nobody.nextHopIp).toBe('172.29.0.99');
    const far = planTrace(topo, 'alpha-web', '192.168.7.7');
    expect(far.notes[0].code).toBe('other-subnet');
    expect(far.notes[0].text).toBe("192.168.7.7 is on a different subnet from alpha-web's (shopnet 172.29.0.0/24), and no container owns it");
    expect(far.nextHopIp).toBe('172.29.0.1');
  });
  it('gateway and host: the bridge is the last hop; the host is its default route’s address', () => {
    expect(planTrace(topo, 'alpha-web', 'gateway').toIp).toBe('172.29.0.1');
    const host = planTrace(topo, 'alpha-web', 'host');
    expect([host.toIp, host.hops.length]).toEqual(['10.0.0.5', 2]);
  });
  it('a sidecar and its owner share a namespace: loopback, no hops', () => {
    const p = planTrace(topo, 'delta-sidecar', 'alpha-web');
    expect(p.loopback).toBe(true);
    expect(p.hops).toEqual([]);
  });
  it('an unknown container: one error naming close names', () => {
    expect(() => planTrace(topo, 'alpha-web', 'beta-bd')).toThrow(TraceTargetError);
    expect(() => planTrace(topo, 'alpha-web', 'beta-bd')).toThrow(/did you mean beta-db/);
  });
});

const seen = (n: number) => ({ count: n, firstMs: n ? 1 : undefined, lastMs: n ? 2 : undefined });
function hops(counts: Array<[number, number]>): HopReport[] {
  const plan = planTrace(topo, 'alpha-web', 'beta-db');
  return plan.hops.map((hop, i) => ({
    hop, arpRequests: seen(0), arpReplies: seen(0), echoRequests: seen(counts[i][0]), echoReplies: seen(counts[i][1]),
    errors: { count: 0, seen: [] }, answeringMacs: [], captured: true,
  }));
}
const failed: PingRun = { via: 'netns', argv: [], exitCode: 1, output: '3 packets transmitted, 0 received', transmitted: 3, received: 0 };
const noOwner = () => undefined;

describe('judgeHops', () => {
  const plan = planTrace(topo, 'alpha-web', 'beta-db');
  it('replies left B but never reached A’s veth: the segment is on the way back', () => {
    const v = judgeHops(plan, hops([[3, 0], [3, 0], [3, 3]]), failed, 3, noOwner);
    expect(v.met).toBe(false);
    expect(v.segment).toEqual({ packets: 'echo replies', from: "beta-db's veth1cf8419", to: 'br-shop (shopnet)' });
    expect(v.summary).toBe("echo replies left beta-db (veth1cf8419), none reached br-shop (shopnet): dropped between beta-db's veth1cf8419 and br-shop (shopnet)");
  });
  it('some requests lost between the bridge and B: counted, not rounded to none', () => {
    const v = judgeHops(plan, hops([[3, 1], [3, 1], [1, 1]]), { ...failed, received: 1 }, 3, noOwner);
    expect(v.summary).toContain("only 1 of 3 reached beta-db's veth1cf8419: dropped between br-shop (shopnet) and beta-db's veth1cf8419");
  });
  it('requests reached B’s veth and B sent nothing back', () => {
    const v = judgeHops(plan, hops([[3, 0], [3, 0], [3, 0]]), failed, 3, noOwner);
    expect(v.segment).toEqual({ packets: 'echo requests', from: "beta-db's veth1cf8419", to: 'beta-db' });
  });
  it('a MAC that is not B’s answering for B fails the trace even when ping succeeded', () => {
    const h = hops([[3, 3], [3, 3], [3, 3]]);
    h[0].answeringMacs.push('02:42:ac:1d:00:09');
    const ok: PingRun = { ...failed, exitCode: 0, received: 3 };
    const v = judgeHops(plan, h, ok, 3, (m) => (m === '02:42:ac:1d:00:09' ? 'gamma' : undefined));
    expect(v.met).toBe(false);
    expect(v.segment).toEqual({ packets: 'ARP replies', from: 'gamma (02:42:ac:1d:00:09)', to: "alpha-web's veth848035b" });
    expect(judgeHops(plan, hops([[3, 3], [3, 3], [3, 3]]), ok, 3, noOwner).met).toBe(true);
  });
});
