import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ipv4ToNumber } from '../../src/annotate/address.js';
import {
  SNAPSHOT_FORMAT,
  SNAPSHOT_MAGIC,
  SNAPSHOT_PEN,
  snapshotFromCustomBlock,
  snapshotFromOptions,
  snapshotOptions,
} from '../../src/annotate/snapshot-pcapng.js';
import { SnapshotError } from '../../src/annotate/snapshot.js';
import { loadSnapshotFile } from '../../src/session/snapshot-load.js';
import { TopologyResolver } from '../../src/annotate/topology-resolver.js';
import type { Topology } from '../../src/model/topology.js';
import { openCaptureFile } from '../../src/pcap/open.js';
import type { CustomOption } from '../../src/pcap/capture-meta.js';

const SIDECAR = 'captures/seed-ping.pcap.topology.json';

async function read(path: string) {
  const src = openCaptureFile(path);
  let frames = 0;
  for await (const b of src) frames += b.count;
  return { src, frames };
}

describe('the shipped seed-ping.pcapng', () => {
  it('carries the sidecar snapshot in an NRB custom option (no custom block), the names and the bridge description', async () => {
    const { src, frames } = await read('captures/seed-ping.pcapng');
    expect(frames).toBe(12);
    expect(src.meta.customBlocks).toEqual([]);
    expect(src.meta.nameBlockOptions).toHaveLength(1);
    expect(src.meta.nameBlockOptions[0].frame).toBe(0);
    const embedded = snapshotFromOptions(src.meta.nameBlockOptions[0].options, 'seed-ping.pcapng')!;
    expect(embedded.topology).toEqual(await loadSnapshotFile(SIDECAR));
    const bridge = embedded.topology.bridges.find((b) => b.network === 'br_xx')!.name;
    expect(src.interfaces[0]).toMatchObject({ name: bridge, description: `${bridge} (docker network br_xx)` });
    expect(src.meta.nameRecords).toEqual(expect.arrayContaining([{ ip: '172.30.0.10', names: ['web-bridge-1'] }]));
    expect(new TopologyResolver(embedded.topology).byIpv4(ipv4ToNumber('172.30.0.11'))?.container).toBe('web-bridge-2');
  });

  it('in its first format (a PEN 32473 custom block, kept as a fixture) still reads as ours', async () => {
    const { src, frames } = await read('test/fixtures/seed-ping-custom-block.pcapng');
    expect(frames).toBe(12);
    expect(src.meta.customBlocks.map((b) => [b.pen, b.frame])).toEqual([[SNAPSHOT_PEN, 0]]);
    const old = snapshotFromCustomBlock(src.meta.customBlocks[0], 'old.pcapng')!;
    expect(old.at).toBe(-Infinity);
    expect(old.topology).toEqual(await loadSnapshotFile(SIDECAR));
  });
});

describe('snapshot options', () => {
  const seed = JSON.parse(readFileSync(SIDECAR, 'utf8')) as Topology;

  it('split a snapshot larger than one option (64 KiB) into pieces that join back', () => {
    const big: Topology = { ...seed, containers: Array.from({ length: 1000 }, (_, i) => ({ ...seed.containers[0], id: `c${i}`, name: `n${i}`, label: `n${i}` })) };
    const options = snapshotOptions({ at: 1234.5, topology: big });
    expect(options.length).toBeGreaterThan(2);
    for (const o of options) {
      expect(o.data.length + 4).toBeLessThanOrEqual(0xffff);
      expect(new TextDecoder().decode(o.data.subarray(0, SNAPSHOT_MAGIC.length))).toBe(SNAPSHOT_MAGIC);
      expect(o.data[SNAPSHOT_MAGIC.length]).toBe(SNAPSHOT_FORMAT);
    }
    const back = snapshotFromOptions(options, 'f')!;
    expect(back.at).toBe(1234.5);
    expect(back.topology.containers).toHaveLength(1000);
  });

  it('another PEN is not addressed to us; a foreign PEN 32473, a newer format or damage is a SnapshotError', () => {
    const ours = snapshotOptions({ at: 1, topology: seed });
    expect(snapshotFromOptions([{ pen: 1, data: new Uint8Array(8), copyable: true }], 'f')).toBeUndefined();
    const foreign: CustomOption = { pen: SNAPSHOT_PEN, data: new TextEncoder().encode('{"someone":"else"}'), copyable: true };
    expect(() => snapshotFromOptions([foreign], 'f.pcapng')).toThrow(expect.objectContaining({ code: 'BS_SNAPSHOT_FOREIGN' }));
    const newer = ours.map((o) => ({ ...o, data: Uint8Array.from(o.data) }));
    newer[0].data[SNAPSHOT_MAGIC.length] = SNAPSHOT_FORMAT + 1;
    expect(() => snapshotFromOptions(newer, 'f')).toThrow(expect.objectContaining({ code: 'BS_SNAPSHOT_VERSION' }));
    const cut = [{ ...ours[0], data: ours[0].data.subarray(0, 200) }];
    expect(() => snapshotFromOptions(cut, 'f.pcapng')).toThrow(/^f\.pcapng: topology snapshot is not valid JSON/);
  });

  it('a first-format block that is not our snapshot (another user of PEN 32473) is a SnapshotError, not a crash', () => {
    const block = { pen: SNAPSHOT_PEN, data: new TextEncoder().encode('{x\u001b]52;c;SGk=\u0007'), copyable: true };
    let err: unknown;
    try {
      snapshotFromCustomBlock(block, 'f.pcapng');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SnapshotError);
    expect((err as Error).message).toMatch(/^f\.pcapng: a custom block with PEN 32473 is not a bridgescope snapshot/);
    expect((err as Error).message).not.toContain('\u001b');
    expect(snapshotFromCustomBlock({ ...block, pen: 7 }, 'f')).toBeUndefined();
  });
});
