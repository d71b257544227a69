import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ipv4ToNumber, macToNumber } from '../../src/annotate/address.js';
import { formatIpv4Number, formatMacNumber } from '../../src/decode/index.js';
import { parseSnapshot, sidecarPath, SnapshotError } from '../../src/annotate/snapshot.js';
import { loadSnapshotFile } from '../../src/session/snapshot-load.js';
import { GATEWAY_LABEL, TopologyResolver } from '../../src/annotate/topology-resolver.js';
import type { EndpointInfo } from '../../src/model/topology.js';

const shipped = sidecarPath('captures/seed-ping.pcap');

describe('addresses as wire numbers', () => {
  it('round-trips MACs and IPv4 addresses', () => {
    expect(macToNumber('02:42:AC:1e:00:0a')).toBe(0x0242ac1e000a);
    expect(macToNumber('ff:ff:ff:ff:ff:ff')).toBe(2 ** 48 - 1);
    expect(formatMacNumber(0x0242ac1e000b)).toBe('02:42:ac:1e:00:0b');
    expect(ipv4ToNumber('172.30.0.11')).toBe(0xac1e000b);
    expect(ipv4ToNumber('255.255.255.255')).toBe(0xffffffff);
    expect(formatIpv4Number(0xac1e0001)).toBe('172.30.0.1');
  });
  it('rejects what is not an address', () => {
    expect(() => macToNumber('02:42:ac:1e:00')).toThrow(RangeError);
    expect(() => macToNumber('zz:42:ac:1e:00:0a')).toThrow(RangeError);
    expect(() => ipv4ToNumber('172.30.0.256')).toThrow(RangeError);
    expect(() => ipv4ToNumber('1.2.3')).toThrow(RangeError);
  });
});

describe('TopologyResolver over the shipped snapshot', () => {
  it('names the seed containers and the gateway by MAC, IPv4 and host veth', async () => {
    const t = await loadSnapshotFile(shipped);
    const r = new TopologyResolver(t);
    const one = t.endpoints.find((e) => e.container === 'web-bridge-1')!;
    expect(r.byIpv4(ipv4ToNumber('172.30.0.10'))?.label).toBe('web-bridge-1');
    expect(r.byIpv4(ipv4ToNumber('172.30.0.11'))?.label).toBe('web-bridge-2');
    expect(r.byMac(macToNumber(one.mac!))).toMatchObject({ label: 'web-bridge-1', network: 'br_xx', hostVeth: one.hostVeth });
    expect(r.byIfIndex(one.hostIfIndex!)?.container).toBe('web-bridge-1');
    const br = t.bridges.find((b) => b.network === 'br_xx')!;
    expect(r.byMac(macToNumber(br.mac!))).toMatchObject({ label: GATEWAY_LABEL, kind: 'gateway', bridge: br.name });
    expect(r.byIpv4(ipv4ToNumber('172.30.0.1'))?.label).toBe(GATEWAY_LABEL);
    expect(r.byIpv4(ipv4ToNumber('172.17.0.1'))?.label).toBe(GATEWAY_LABEL);
    expect(r.byIpv4(ipv4ToNumber('172.30.0.99'))).toBeUndefined();
    // A snapshot names frames of any time, before or after it was taken.
    expect(r.byIpv4(ipv4ToNumber('172.30.0.10'), 0)?.label).toBe('web-bridge-1');
  });

  it('answers as the topology was at the frame time', () => {
    const r = new TopologyResolver();
    const ep = (container: string, id: string): EndpointInfo => ({
      containerId: id,
      container,
      network: 'n',
      networkId: 'nid',
      mac: '02:42:ac:1e:00:0c',
      ipv4: '172.30.0.12',
      hostIfIndex: 40,
    });
    const who = (name: string, id: string) => ({ id, name, label: name, sharedWith: [] });
    const ip = ipv4ToNumber('172.30.0.12');
    r.setContainer(who('alpha', 'a'), [ep('alpha', 'a')], 100);
    r.remove('a', 200);
    r.setContainer(who('beta', 'b'), [ep('beta', 'b')], 300);
    expect(r.byIpv4(ip, 50)).toBeUndefined();
    expect(r.byIpv4(ip, 150)?.label).toBe('alpha');
    expect(r.byIpv4(ip, 250)).toBeUndefined();
    expect(r.byIpv4(ip, 350)?.label).toBe('beta');
    expect(r.byIpv4(ip)?.label).toBe('beta');
    expect(r.byIfIndex(40, 150)?.label).toBe('alpha');
    // beta renamed: the old name still holds for earlier frames.
    r.setContainer(who('gamma', 'b'), [ep('gamma', 'b')], 400);
    expect(r.byMac(macToNumber('02:42:ac:1e:00:0c'), 350)?.label).toBe('beta');
    expect(r.byMac(macToNumber('02:42:ac:1e:00:0c'))?.label).toBe('gamma');
  });
});

describe('loadSnapshotFile', () => {
  it('refuses missing files, bad JSON and unknown versions with typed errors naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bs-snap-'));
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{"version": 1, ');
    const future = join(dir, 'future.json');
    await writeFile(future, JSON.stringify({ version: 99 }));
    await expect(loadSnapshotFile(join(dir, 'none.json'))).rejects.toMatchObject({ code: 'BS_SNAPSHOT_MISSING' });
    await expect(loadSnapshotFile(bad)).rejects.toMatchObject({ code: 'BS_SNAPSHOT_INVALID' });
    await expect(loadSnapshotFile(future)).rejects.toThrow(/future\.json: topology snapshot version 99/);
    expect(() => parseSnapshot({ version: 1, interfaces: [] })).toThrow(SnapshotError);
  });
});
