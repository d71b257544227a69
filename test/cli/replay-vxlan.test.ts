import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatMacNumber } from '../../src/decode/index.js';
import { TOPOLOGY_VERSION, type Topology } from '../../src/model/topology.js';
import { PcapngWriter } from '../../src/pcap/pcapng-writer.js';
import { OVERLAY, overlayPing } from '../decode/vxlan-frames.js';
import { runCli } from './run-cli.js';

/**
 * An overlay ping captured on the underlay, replayed with the names of both hosts: what a user of
 * a two-host Swarm sees. The snapshot is what two daemons answer, merged (endpoints carry their host).
 */
const dir = mkdtempSync(join(tmpdir(), 'bridgescope-vxlan-'));
const mac = (b: number[]) => formatMacNumber(b.reduce((n, x) => n * 256 + x, 0));
const ip = (b: number[]) => b.join('.');

function capture(name: string, frames: Uint8Array[]): string {
  const file = join(dir, name);
  const w = new PcapngWriter(file);
  frames.forEach((bytes, i) =>
    w.writeFrame({ tsSec: 1_700_000_000, tsNsec: i * 250_000, capLen: bytes.length, origLen: bytes.length, ifIndex: 0, linkType: 1, bytes }),
  );
  w.close();
  return file;
}

function snapshot(vni: number, bridgeTwin = false): string {
  const net = { id: 'ov1', name: 'ovnet', driver: 'overlay', subnet: '10.0.1.0/24', vni: [vni] };
  const container = (id: string, name: string) => ({ id, name, label: name, image: 'bridgescope-busybox', state: 'running', networkMode: { kind: 'bridge' as const }, sharedWith: [] });
  const t: Topology = {
    version: TOPOLOGY_VERSION, capturedAt: '2026-12-01T00:00:00Z', interfaces: [], bridges: [], routes: [],
    networks: [net, { id: 'br1', name: 'local', driver: 'bridge', subnet: '10.0.1.0/24', bridge: 'br-local' }],
    containers: [container('a1', 'alpha'), container('b1', 'beta'), container('c1', 'twin')],
    endpoints: [
      { containerId: 'a1', container: 'alpha', network: 'ovnet', networkId: 'ov1', mac: mac(OVERLAY.alphaMac), ipv4: ip(OVERLAY.alpha), host: 'dh1' },
      { containerId: 'b1', container: 'beta', network: 'ovnet', networkId: 'ov1', mac: mac(OVERLAY.betaMac), ipv4: ip(OVERLAY.beta), host: 'dh2' },
    ],
  };
  // A bridge container with beta's address on another host: it must not name the overlay's frames.
  if (bridgeTwin) t.endpoints[1] = { ...t.endpoints[1], containerId: 'c1', container: 'twin', network: 'local', networkId: 'br1', host: 'dh3' };
  const file = join(dir, `topology-${vni}-${bridgeTwin}.json`);
  writeFileSync(file, JSON.stringify(t));
  return file;
}

describe('replay of overlay (VXLAN) frames', () => {
  const file = capture('overlay.pcapng', overlayPing());

  it('prints the inner frame named from both hosts, with the VNI and the underlay hosts', () => {
    const r = runCli(['replay', '--no-tui', '--topology', snapshot(OVERLAY.vni), file]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/ {2}alpha@dh1 > broadcast {2}ARP who-has 10\.0\.1\.3 \(beta\) tell 10\.0\.1\.2 \(alpha\) \(VXLAN 4097, 10\.231\.0\.11 > 10\.231\.0\.12\)$/);
    expect(lines[1]).toMatch(/ {2}beta@dh2 > alpha@dh1 {2}ARP reply 10\.0\.1\.3 \(beta\) is-at 02:42:0a:00:01:03 \(VXLAN 4097, 10\.231\.0\.12 > 10\.231\.0\.11\)/);
    expect(lines[2]).toMatch(/ {2}alpha@dh1 > beta@dh2 {2}ICMP echo request, id 4660, seq 1 \(VXLAN 4097, 10\.231\.0\.11 > 10\.231\.0\.12\)$/);
    // Analysis pairs the inner request and reply.
    expect(lines[3]).toMatch(/ {2}beta@dh2 > alpha@dh1 {2}ICMP echo reply, id 4660, seq 1 \(VXLAN 4097, 10\.231\.0\.12 > 10\.231\.0\.11\), rtt 0\.250 ms$/);
  });

  it('names nothing from a network whose VNI is not the frame\'s, nor from a bridge twin', () => {
    const other = runCli(['replay', '--no-tui', '--topology', snapshot(5000), file]).stdout;
    expect(other).not.toMatch(/alpha|beta/);
    expect(other).toContain('10.0.1.2 > 10.0.1.3  ICMP echo request');
    const twin = runCli(['replay', '--no-tui', '--topology', snapshot(OVERLAY.vni, true), file]).stdout;
    expect(twin).not.toContain('twin');
    expect(twin).toContain('alpha@dh1 > 10.0.1.3  ICMP echo request');
  });

  it('opens VXLAN on the port Docker\'s --data-path-port chose when told (--vxlan-port)', () => {
    const moved = capture('moved.pcapng', overlayPing(7789));
    const plain = runCli(['replay', '--no-tui', '--no-names', moved]).stdout;
    expect(plain).toContain('UDP 10.231.0.11.40000 > 10.231.0.12.7789');
    const opened = runCli(['replay', '--no-tui', '--vxlan-port', '7789', '--topology', snapshot(OVERLAY.vni), moved]).stdout.trim().split('\n');
    expect(opened[2]).toMatch(/alpha@dh1 > beta@dh2 {2}ICMP echo request, id 4660, seq 1 \(VXLAN 4097, 10\.231\.0\.11 > 10\.231\.0\.12\)$/);
    expect(opened[3]).toMatch(/, rtt 0\.250 ms$/);
  });

  it('writes the tunnel as a vxlan object in NDJSON, the layers being the inner frame', () => {
    const r = runCli(['replay', '--json', '--topology', snapshot(OVERLAY.vni), file]);
    expect(r.status).toBe(0);
    const recs = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(recs[2].vxlan).toEqual({ vni: 4097, outer: { src: '10.231.0.11', dst: '10.231.0.12', srcPort: 40000, dstPort: 4789, srcMac: '02:42:0a:e7:00:0b', dstMac: '02:42:0a:e7:00:0c' } });
    expect(recs[2].ipv4.src).toBe('10.0.1.2');
    expect(recs[2].eth.src).toBe('02:42:0a:00:01:02');
    expect(recs[2].ports).toBeUndefined();
    expect(recs[2].src).toMatchObject({ container: 'alpha', host: 'dh1', network: 'ovnet' });
    expect(recs[3].rttNs).toBe(250_000);
  });
});
