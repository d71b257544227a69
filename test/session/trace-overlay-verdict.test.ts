import { describe, expect, it } from 'vitest';
import { TOPOLOGY_VERSION, type ContainerInfo, type EndpointInfo, type Topology } from '../../src/model/topology.js';
import type { HopReport } from '../../src/session/trace-hops.js';
import { planOverlayTrace } from '../../src/session/trace-overlay-plan.js';
import { judgeOverlay } from '../../src/session/trace-overlay-verdict.js';
import type { PingRun } from '../../src/session/trace-ping.js';
import type { TraceHop } from '../../src/session/trace-plan.js';

/** Two containers on two hosts joined by one overlay, as the daemons of a two-host Swarm name them. */
const c = (id: string, name: string, state = 'running'): ContainerInfo => ({ id, name, label: name, image: 'x', state, pid: 10, networkMode: { kind: 'bridge' }, sharedWith: [] });
const ep = (containerId: string, container: string, ipv4: string, host: string, networkId = 'ov1'): EndpointInfo => ({ containerId, container, network: networkId === 'ov1' ? 'ovnet' : 'local', networkId, ipv4, mac: `02:42:0a:00:01:0${ipv4.slice(-1)}`, ifname: 'eth0', host });
function topology(endpoints: EndpointInfo[], containers = [c('a1', 'alpha'), c('b1', 'beta')]): Topology {
  return {
    version: TOPOLOGY_VERSION, capturedAt: '2026-12-01T00:00:00Z', interfaces: [], bridges: [], routes: [], containers, endpoints,
    networks: [{ id: 'ov1', name: 'ovnet', driver: 'overlay', subnet: '10.0.1.0/24', vni: [4097] }, { id: 'br1', name: 'local', driver: 'bridge', bridge: 'br-x' }],
  };
}
const underlays = new Map([['dh1', '10.231.0.11'], ['dh2', '10.231.0.12']]);
const overlayPair = topology([ep('a1', 'alpha', '10.0.1.2', 'dh1'), ep('b1', 'beta', '10.0.1.3', 'dh2')]);

const s = (count: number) => ({ count, ...(count ? { firstMs: 1, lastMs: 2 } : {}) });
function report(hop: TraceHop, req: number, rep: number, captured = true): HopReport {
  return { hop, arpRequests: s(0), arpReplies: s(0), echoRequests: s(req), echoReplies: s(rep), errors: { count: 0, seen: [] }, answeringMacs: [], captured };
}
const ul = (name: string): TraceHop => ({ interface: name, role: 'underlay', label: `underlay ${name}` });
const ping = (received: number): PingRun => ({ via: 'netns', argv: [], exitCode: received === 3 ? 0 : 1, output: `3 packets transmitted, ${received} received`, transmitted: 3, received });

describe('trace across hosts: plan and verdict', () => {
  const { plan, overlay } = planOverlayTrace(overlayPair, 'alpha', 'beta', underlays);
  const [src, dst] = plan.hops;
  const hops = (counts: Array<[number, number]>, uncaptured: number[] = []) =>
    [src, ul('dh1-u'), ul('ul0'), ul('dh2-u'), dst].map((h, i) => report(h, counts[i][0], counts[i][1], !uncaptured.includes(i)));

  it('plans the shared overlay, its VNI and both hosts\' underlay addresses', () => {
    expect(plan.blockers).toEqual([]);
    expect(overlay).toMatchObject({ vni: 4097, fromHost: 'dh1', toHost: 'dh2', fromUnderlay: '10.231.0.11', toUnderlay: '10.231.0.12' });
    expect([plan.fromIp, plan.toIp, plan.toName]).toEqual(['10.0.1.2', '10.0.1.3', 'beta@dh2']);
    expect(plan.hops.map((h) => h.label)).toEqual(["alpha's eth0 on dh1", "beta's eth0 on dh2"]);
  });

  it('refuses pairs the overlay does not join, and pairs on one host', () => {
    const bridged = topology([ep('a1', 'alpha', '10.0.1.2', 'dh1'), ep('b1', 'beta', '10.0.1.3', 'dh2', 'br1')]);
    expect(planOverlayTrace(bridged, 'alpha', 'beta', underlays).plan.blockers).toEqual(['alpha@dh1 and beta@dh2 share no overlay network']);
    const oneHost = topology([ep('a1', 'alpha', '10.0.1.2', 'dh1'), ep('b1', 'beta', '10.0.1.3', 'dh1')]);
    expect(planOverlayTrace(oneHost, 'alpha', 'beta', underlays).plan.blockers[0]).toMatch(/both on dh1: trace them without -H/);
  });

  it('is met when every reply came back', () => {
    const v = judgeOverlay(plan, overlay, hops([[3, 3], [3, 3], [3, 3], [3, 3], [3, 3]]), ping(3), 3);
    expect(v.met).toBe(true);
    expect(v.summary).toBe('3 echo requests crossed overlay ovnet (VNI 4097, 10.231.0.11 > 10.231.0.12) to beta@dh2 and 3 replies came back to alpha@dh1');
  });

  it('says host 1 never sent the VXLAN when the underlay saw none', () => {
    const v = judgeOverlay(plan, overlay, hops([[3, 0], [0, 0], [0, 0], [0, 0], [0, 0]]), ping(0), 3);
    expect(v.summary).toBe("echo requests left alpha's eth0 on dh1, none reached underlay dh1-u: host dh1 did not send them as VXLAN to dh2 (VNI 4097, 10.231.0.11 > 10.231.0.12)");
  });

  it('places a loss between two underlay interfaces on the underlay', () => {
    const v = judgeOverlay(plan, overlay, hops([[3, 0], [3, 0], [3, 0], [1, 0], [1, 0]]), ping(0), 3);
    expect(v.summary).toMatch(/crossed dh1-u, ul0, only 1 of 3 reached underlay dh2-u: lost on the underlay between ul0 and dh2-u$/);
    expect(v.segment).toEqual({ packets: 'echo requests', from: 'underlay ul0', to: 'underlay dh2-u' });
  });

  it('says the overlay lost replies host 2 sent and host 1 never received', () => {
    const v = judgeOverlay(plan, overlay, hops([[3, 0], [3, 3], [3, 3], [3, 3], [3, 3]]), ping(0), 3);
    expect(v.summary).toBe("the overlay lost the echo replies: VXLAN sent by host dh2 (VNI 4097, 10.231.0.12 > 10.231.0.11) crossed the underlay (dh2-u, ul0, dh1-u) and was never received by host dh1: none reached alpha's eth0 on dh1");
  });

  it('passes over a hop it could not capture and says so in the evidence', () => {
    const r = hops([[3, 0], [3, 0], [3, 0], [3, 0], [0, 0]], [4]);
    r[4].why = "beta's process is not on this machine (host dh2)";
    const v = judgeOverlay(plan, overlay, r, ping(0), 3);
    expect(v.met).toBe(false);
    expect(v.evidence[4]).toBe("beta's eth0 on dh2: not captured (beta's process is not on this machine (host dh2))");
    expect(v.summary).toBe("echo requests reached underlay dh2-u, the last hop towards beta@dh2 this machine sees, and no reply came back; dh2's side was not captured");
  });
});
