import { describe, expect, it } from 'vitest';
import { WARM_UP_HOSTS, warmUpLookups } from '../../src/annotate/lookup-warm-up.js';
import { TopologyResolver } from '../../src/annotate/topology-resolver.js';
import { formatIpv4Number, formatMacNumber } from '../../src/decode/index.js';
import { noNames } from '../../src/model/endpoint.js';
import type { Topology } from '../../src/model/topology.js';

const ROUNDS = 12;

describe('warmUpLookups', () => {
  it('takes every lookup path: ARP sender, IPv4 both ways, MAC fallback, misses', () => {
    // Vitest loads modules afresh per file: this first resolver ran the warm-up already, and the
    // warm-up's hosts are not in it.
    const names = new TopologyResolver();
    expect(names.byIpv4(WARM_UP_HOSTS.low.ip)).toBeUndefined();
    expect(names.byMac(WARM_UP_HOSTS.high.mac)).toBeUndefined();

    for (const [id, host] of Object.entries({ low: WARM_UP_HOSTS.low, high: WARM_UP_HOSTS.high })) {
      names.setContainer({ id, name: id, label: id, sharedWith: [] }, [{ containerId: id, container: id, network: 'n', networkId: 'n', mac: formatMacNumber(host.mac), ipv4: formatIpv4Number(host.ip) }], -Infinity);
    }
    // Per round: ARP request 1 (its broadcast target has no name), ARP reply 2, the two echoes
    // 2 each, the stranger's echo 1 (its target).
    expect(warmUpLookups(names)).toBe(8 * ROUNDS);
    expect(warmUpLookups(noNames)).toBe(0);
  });

  it('leaves nothing in the first resolver of a snapshot', () => {
    const topology: Topology = {
      version: 2,
      capturedAt: '2026-12-06T00:00:00Z',
      interfaces: [],
      bridges: [],
      networks: [],
      containers: [],
      routes: [],
      endpoints: [{ containerId: 'c1', container: 'web', network: 'n', networkId: 'n', mac: '02:42:ac:11:00:02', ipv4: '172.17.0.2' }],
    };
    const names = new TopologyResolver(topology);
    expect(names.byIpv4(0xac_11_00_02)?.label).toBe('web');
    expect(names.byIpv4(WARM_UP_HOSTS.high.ip)).toBeUndefined();
    expect(names.byMac(WARM_UP_HOSTS.low.mac)).toBeUndefined();
  });
});
