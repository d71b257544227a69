import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ipv4ToNumber } from '../../src/annotate/address.js';
import { encodeSnapshotHistory, parseSnapshot, SnapshotError } from '../../src/annotate/snapshot.js';
import { loadSnapshotFile, loadSnapshotHistory } from '../../src/session/snapshot-load.js';
import { TopologyResolver } from '../../src/annotate/topology-resolver.js';
import { TOPOLOGY_VERSION } from '../../src/model/topology.js';

const SIDECAR = 'captures/seed-ping.pcap.topology.json';
const seed = () => JSON.parse(readFileSync(SIDECAR, 'utf8')) as Record<string, unknown[]> & { version: number };

/** The error parseSnapshot throws for `json`: code and message. */
function refusal(json: unknown): { code: string; message: string } {
  try {
    new TopologyResolver(parseSnapshot(json, 'cap.pcapng'));
  } catch (err) {
    expect(err).toBeInstanceOf(SnapshotError);
    return { code: (err as SnapshotError).code, message: (err as Error).message };
  }
  throw new Error('accepted');
}

describe('snapshot schema (issue 15 finding 1: crashes from an embedded snapshot)', () => {
  it('refuses null entries, bad addresses and lists that are not lists, naming the field path', () => {
    const nullEndpoint = seed();
    nullEndpoint.endpoints[1] = null;
    expect(refusal(nullEndpoint)).toEqual({ code: 'BS_SNAPSHOT_INVALID', message: expect.stringMatching(/^cap\.pcapng: topology snapshot field endpoints\[1\]: Expected object, received null$/) });

    const badMac = seed();
    (badMac.endpoints[0] as { mac: string }).mac = '02:42:ac:1e:00:0\u001b';
    expect(refusal(badMac).message).toBe('cap.pcapng: topology snapshot field endpoints[0].mac: not a MAC address');

    const badIp = seed();
    (badIp.endpoints[0] as { ipv4: string }).ipv4 = '172.30.0.300';
    expect(refusal(badIp).message).toMatch(/field endpoints\[0\]\.ipv4: not an IPv4 address$/);

    const notList = seed();
    (notList.bridges[0] as { ipv4: unknown }).ipv4 = 'x';
    expect(refusal(notList).message).toMatch(/field bridges\[0\]\.ipv4: Expected array, received string$/);

    const badGateway = seed();
    (badGateway.networks[0] as { gateway: unknown }).gateway = 17;
    expect(refusal(badGateway).message).toMatch(/field networks\[0\]\.gateway: Expected string, received number$/);

    const badLearned = seed();
    (badLearned.bridges[0] as { ports: { learned: unknown[] }[] }).ports[0].learned = [{ mac: 'nope' }];
    expect(refusal(badLearned).message).toMatch(/field bridges\[0\]\.ports\[0\]\.learned\[0\]\.mac: not a MAC address$/);

    expect(refusal({ ...seed(), containers: undefined }).message).toMatch(/field containers: Required$/);
    expect(refusal(null).message).toMatch(/not a topology snapshot/);
    expect(refusal({ version: Infinity }).code).toBe('BS_SNAPSHOT_VERSION');
  });

  it('refuses a list where an object belongs, and an unknown network mode, naming what it expected', () => {
    const listed = seed();
    listed.endpoints[0] = [];
    expect(refusal(listed).message).toMatch(/field endpoints\[0\]: Expected object, received array$/);

    const mode = seed();
    (mode.containers[0] as { networkMode: unknown }).networkMode = { kind: 'macvlan' };
    expect(refusal(mode).message).toMatch(/field containers\[0\]\.networkMode\.kind: Invalid discriminator value\. Expected 'bridge' \| 'host' \| 'none' \| 'container'$/);

    const cidr = seed();
    (cidr.bridges[0] as { ipv4: unknown }).ipv4 = ['172.30.0.1/016'];
    expect(refusal(cidr).message).toMatch(/field bridges\[0\]\.ipv4\[0\]: not an IPv4 address or prefix$/);

    const port = seed();
    (port.endpoints[0] as { prefixLen: unknown }).prefixLen = 33;
    expect(refusal(port).message).toMatch(/field endpoints\[0\]\.prefixLen: Number must be less than or equal to 32$/);
  });

  it('accepts the shipped snapshot, upgrades version 1 and keeps fields it does not know', () => {
    const t = { ...seed(), extra: { kept: true } };
    const parsed = parseSnapshot(t, 'f');
    expect(parsed.version).toBe(TOPOLOGY_VERSION);
    expect((parsed as unknown as { extra: unknown }).extra).toEqual({ kept: true });
    expect(new TopologyResolver(parsed).byIpv4(ipv4ToNumber('172.30.0.10'))?.container).toBe('web-bridge-1');
  });

  it('a resolver never throws on what the schema accepts: every single-byte change of the shipped snapshot', () => {
    const text = readFileSync(SIDECAR, 'utf8');
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < text.length; i += 7) {
      const damaged = text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) ^ 1) + text.slice(i + 1);
      let json: unknown;
      try {
        json = JSON.parse(damaged);
      } catch {
        continue;
      }
      try {
        new TopologyResolver(parseSnapshot(json, 'f'));
        accepted++;
      } catch (err) {
        expect(err).toBeInstanceOf(SnapshotError);
        refused++;
      }
    }
    expect(accepted).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});

describe('snapshot files with history (the classic pcap sidecar)', () => {
  it('reads a single topology and a {snapshots: [{at, topology}]} history; refuses a bad entry by its path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bs-hist-'));
    const t = parseSnapshot(seed(), 'f');
    const later = { ...t, containers: t.containers.slice(1) };
    const history = join(dir, 'h.json');
    await writeFile(history, encodeSnapshotHistory([{ at: 100, topology: t }, { at: 200, topology: later }]));
    const back = await loadSnapshotHistory(history);
    expect(back.map((s) => [s.at, s.topology.containers.length])).toEqual([[100, t.containers.length], [200, t.containers.length - 1]]);
    expect(await loadSnapshotFile(history)).toEqual(later);
    expect((await loadSnapshotHistory(SIDECAR)).map((s) => s.at)).toEqual([-Infinity]);

    const bad = join(dir, 'bad.json');
    const broken = seed();
    broken.endpoints[0] = null;
    await writeFile(bad, JSON.stringify({ snapshots: [{ at: 1, topology: t }, { at: 2, topology: broken }] }));
    await expect(loadSnapshotHistory(bad)).rejects.toThrow(`${bad}: topology snapshot field snapshots[1].topology.endpoints[0]: Expected object, received null`);
    await writeFile(bad, JSON.stringify({ snapshots: [{ topology: t }] }));
    await expect(loadSnapshotHistory(bad)).rejects.toThrow(/field snapshots\[0\]\.at: expected epoch seconds/);
    await writeFile(bad, '{"version": 2, \u001b[2J');
    const err = await loadSnapshotHistory(bad).then(() => new Error('accepted'), (e: unknown) => e as Error);
    expect(err.message).toMatch(/is not valid JSON \(at character \d+\)$/);
    expect(err.message).not.toContain('\u001b');
  });
});
