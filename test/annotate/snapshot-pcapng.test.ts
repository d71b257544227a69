import { describe, expect, it } from 'vitest';
import { ipv4ToNumber } from '../../src/annotate/address.js';
import { SNAPSHOT_PEN, snapshotFromCustomBlocks } from '../../src/annotate/snapshot-pcapng.js';
import { loadSnapshotFile } from '../../src/annotate/snapshot.js';
import { TopologyResolver } from '../../src/annotate/topology-resolver.js';
import { openCaptureFile } from '../../src/pcap/open.js';

describe('the shipped seed-ping.pcapng', () => {
  it('carries the same snapshot as the sidecar, an NRB and the bridge description', async () => {
    const src = openCaptureFile('captures/seed-ping.pcapng');
    let frames = 0;
    for await (const b of src) frames += b.count;
    expect(frames).toBe(12);
    const embedded = snapshotFromCustomBlocks(src.meta.customBlocks, 'seed-ping.pcapng');
    expect(src.meta.customBlocks[0].pen).toBe(SNAPSHOT_PEN);
    expect(embedded).toEqual(await loadSnapshotFile('captures/seed-ping.pcap.topology.json'));
    const bridge = embedded!.bridges.find((b) => b.network === 'br_xx')!.name;
    expect(src.interfaces[0]).toMatchObject({ name: bridge, description: `${bridge} (docker network br_xx)` });
    expect(src.meta.nameRecords).toEqual(expect.arrayContaining([{ ip: '172.30.0.10', names: ['web-bridge-1'] }]));
    expect(new TopologyResolver(embedded).byIpv4(ipv4ToNumber('172.30.0.11'))?.label).toBe('web-bridge-2');
  });

  it('has no snapshot when no block has our PEN', () => {
    expect(snapshotFromCustomBlocks([{ pen: 1, data: new Uint8Array(4), copyable: true }])).toBeUndefined();
    expect(() => snapshotFromCustomBlocks([{ pen: SNAPSHOT_PEN, data: new TextEncoder().encode('{x'), copyable: true }], 'f.pcapng')).toThrow(
      /f\.pcapng: embedded topology snapshot is not valid JSON/,
    );
  });
});
