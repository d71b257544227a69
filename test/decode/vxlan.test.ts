import { describe, expect, it } from 'vitest';
import { FrameDecoder } from '../../src/decode/index.js';
import { OVERLAY, encapsulate, innerEcho, overlayPing } from './vxlan-frames.js';

describe('FrameDecoder on VXLAN', () => {
  const dec = new FrameDecoder();
  const [arpReq, , echoReq] = overlayPing();

  it('opens an overlay echo request: tunnel in frame.vxlan, the inner frame in the views', () => {
    const f = dec.decode(echoReq, 1);
    expect(f.problem).toBeNull();
    expect(f.vxlan.count).toBe(1);
    expect(f.vxlan.vni(0)).toBe(4097);
    expect(f.vxlan.vniValid(0)).toBe(true);
    expect(f.vxlan.dstPort(0)).toBe(4789);
    expect(f.vxlan.outerIpv4(0).src).toBe('10.231.0.11');
    expect(f.vxlan.outerIpv4(0).dst).toBe('10.231.0.12');
    expect(f.vxlan.outerEth(0)?.src).toBe('02:42:0a:e7:00:0b');
    expect(f.protocol).toBe('ICMP');
    expect(f.eth?.src).toBe('02:42:0a:00:01:02');
    expect(f.eth?.offset).toBe(14 + 20 + 8 + 8);
    expect(f.ipv4?.src).toBe('10.0.1.2');
    expect(f.ipv4?.dst).toBe('10.0.1.3');
    expect(f.icmp?.sequence).toBe(1);
    // The outer UDP ports belong to the tunnel; the inner frame has none.
    expect(f.srcPort).toBe(-1);
  });

  it('opens an inner ARP with no IPv4 view left over from the tunnel', () => {
    const f = dec.decode(arpReq, 1);
    expect(f.protocol).toBe('ARP');
    expect(f.ipv4).toBeNull();
    expect(f.arp?.targetIp).toBe('10.0.1.3');
    expect(f.vxlan.outerIpv4(0).src).toBe('10.231.0.11');
  });

  it('leaves another port alone unless told (Docker --data-path-port)', () => {
    const onOther = overlayPing(7789)[2];
    expect(dec.decode(onOther, 1).protocol).toBe('UDP');
    expect(dec.decode(onOther, 1).vxlan.count).toBe(0);
    const configured = new FrameDecoder({ vxlanPorts: [4789, 7789] }).decode(onOther, 1);
    expect(configured.protocol).toBe('ICMP');
    expect(configured.vxlan.vni(0)).toBe(4097);
  });

  it('reports a VXLAN header cut short as data, keeping the outer layers', () => {
    const f = dec.decode(echoReq.subarray(0, 14 + 20 + 8 + 4), 1, echoReq.length);
    expect(f.problem).toMatchObject({ code: 'truncated', layer: 'vxlan', offset: 42, required: 8, actual: 4 });
    expect(f.vxlan.count).toBe(0);
    expect(f.ipv4?.dst).toBe('10.231.0.12');
  });

  it('reports an inner frame cut by snaplen at the inner layer', () => {
    const f = dec.decode(echoReq.subarray(0, 50 + 20), 1, echoReq.length);
    expect(f.vxlan.count).toBe(1);
    expect(f.problem).toMatchObject({ code: 'truncated', layer: 'ipv4', offset: 64, required: 20, actual: 6 });
  });

  it('does not read an Ethernet trailer after the outer datagram as inner bytes', () => {
    const inner = innerEcho(OVERLAY.alphaMac, OVERLAY.betaMac, OVERLAY.alpha, OVERLAY.beta, 8, 1);
    // The inner IPv4 claims 4 bytes more than the tunnel carries; the 4 trailer bytes must not count.
    const longer = Uint8Array.from(inner);
    longer[14 + 3] += 4;
    const frame = Uint8Array.from([...encapsulate({ vni: 1, outerSrc: OVERLAY.h1, outerDst: OVERLAY.h2 }, longer), 0xde, 0xad, 0xbe, 0xef]);
    const f = dec.decode(frame, 1);
    expect(f.problem).toMatchObject({ code: 'malformed', layer: 'ipv4' });
    expect(f.origLen).toBe(frame.length);
    expect(f.end).toBe(frame.length);
  });

  it('opens tunnels in tunnels, outermost first, up to its depth', () => {
    const o = OVERLAY;
    let frame = innerEcho(o.alphaMac, o.betaMac, o.alpha, o.beta, 8, 7);
    for (const vni of [30, 20, 10]) frame = encapsulate({ vni, outerSrc: [10, 231, 0, vni], outerDst: o.h2 }, frame);
    const f = dec.decode(frame, 1);
    expect(f.problem).toBeNull();
    expect([0, 1, 2].map((i) => f.vxlan.vni(i))).toEqual([10, 20, 30]);
    expect(f.vxlan.outerIpv4(2).src).toBe('10.231.0.30');
    expect(f.icmp?.sequence).toBe(7);
    for (const vni of [40, 50]) frame = encapsulate({ vni, outerSrc: o.h1, outerDst: o.h2 }, frame);
    const deep = dec.decode(frame, 1);
    expect(deep.vxlan.count).toBe(4);
    expect(deep.problem).toMatchObject({ code: 'unsupported', layer: 'vxlan' });
  });
});
