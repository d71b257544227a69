import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSnapshot } from '../../src/annotate/snapshot.js';
import type { Topology } from '../../src/model/topology.js';
import { PcapngWriter } from '../../src/pcap/pcapng-writer.js';
import { PcapWriter } from '../../src/pcap/pcap-writer.js';
import type { CaptureWriter } from '../../src/pcap/capture-writer.js';
import { SnapshotRecorder } from '../../src/session/snapshot-file.js';
import { embedSnapshot } from '../../src/session/embed-snapshot.js';
import { replay } from '../../src/session/recorded.js';
import type { OwnedFrame } from '../../src/source/frame-batch.js';
import { repoRoot } from '../cli/run-cli.js';
import { tempDir } from '../pcap/temp-file.js';
import { corpusDir, itCorpus } from '../support/corpus.js';
import { describeLive } from '../support/live.js';

const file = tempDir();
const seed = parseSnapshot(JSON.parse(readFileSync('captures/seed-ping.pcap.topology.json', 'utf8')), 'seed');
const LATE = { ip: '172.30.0.20', mac: '02:42:ac:1e:00:14', name: 'late-one' };
const T0 = 1_800_000_000;
/** More frames than a batch (8192), so the second snapshot is met after the first batch went out. */
const BEFORE = 9000;
const AFTER = 5;

/** An ARP request from `ip`/`mac` (named by its sender IP, like the live view does). */
function arp(mac: string, ip: string, tsSec: number, ifIndex: number): OwnedFrame {
  const b = new Uint8Array(42);
  b.fill(0xff, 0, 6);
  const m = mac.split(':').map((x) => Number.parseInt(x, 16));
  b.set(m, 6);
  b.set([0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 1], 12);
  b.set(m, 22);
  b.set(ip.split('.').map(Number), 28);
  b.set([172, 30, 0, 10], 38);
  return { tsSec, tsNsec: 250_000_000, capLen: 42, origLen: 42, ifIndex, linkType: 1, bytes: b };
}

/** The seed topology, then the same with one more container on br_xx from `at`. */
function withLate(t: Topology): Topology {
  const net = t.networks.find((n) => n.name === 'br_xx')!;
  return {
    ...t,
    containers: [...t.containers, { id: 'late-id', name: LATE.name, label: LATE.name, image: 'x', state: 'running', networkMode: { kind: 'bridge' }, sharedWith: [] }],
    endpoints: [...t.endpoints, { containerId: 'late-id', container: LATE.name, network: 'br_xx', networkId: net.id, bridge: net.bridge, mac: LATE.mac, ipv4: LATE.ip }],
  };
}

/** What a capture writes when a container starts mid-way: two interfaces, the start snapshot, then one at T0+100.5. */
function writeHistoryFile(path: string, writer: CaptureWriter = new PcapngWriter(path)): string {
  const recorder = new SnapshotRecorder(writer);
  recorder.record(seed, T0);
  for (let i = 0; i < BEFORE; i++) writer.writeFrame(arp(LATE.mac, LATE.ip, T0 + 50, i % 2));
  recorder.record(withLate(seed), T0 + 100.5);
  for (let i = 0; i < AFTER; i++) writer.writeFrame(arp(LATE.mac, LATE.ip, T0 + 101 + i, i % 2));
  writer.close();
  return path;
}

/**
 * The built CLI with room for the NDJSON of ten thousand frames. A replay shows every copy as
 * written (`--all-copies`): these files carry the same frame on two interfaces, and frame
 * numbers are compared with tshark's, which counts each copy.
 */
function runCli(args: string[], input?: Buffer): { status: number | null; stdout: string; stderr: string } {
  const all = args[0] === 'replay' ? ['--all-copies'] : [];
  const r = spawnSync(process.execPath, ['dist/cli/main.js', ...args, ...all], { cwd: repoRoot, input, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 60_000, env: { ...process.env, TZ: 'UTC' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Row {
  n: number;
  src: { container?: string };
}
const rows = (stdout: string): Row[] => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);

describe('a capture file that remembers every topology it saw', () => {
  let history: string;
  beforeAll(() => {
    history = writeHistoryFile(file('history.pcapng'));
  });

  it('names each frame as it was named live: bare before the container started, named after (snapshot after the first batch)', () => {
    const r = runCli(['replay', history, '--json', '--no-analysis']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = rows(r.stdout);
    expect(out).toHaveLength(BEFORE + AFTER);
    expect(out.slice(0, BEFORE).every((f) => f.src.container === undefined)).toBe(true);
    expect(out.slice(BEFORE).map((f) => f.src.container)).toEqual(Array(AFTER).fill(LATE.name));
  });

  it('replay - (standard input) gives what the file on disk gives', () => {
    const onDisk = runCli(['replay', history, '--json', '--no-analysis']).stdout;
    const piped = runCli(['replay', '-', '--json', '--no-analysis'], readFileSync(history));
    expect(piped.status).toBe(0);
    expect(piped.stdout).toBe(onDisk);
  });

  it('the library replay() names them the same way', async () => {
    const rec = await replay(history);
    const last = rec.frames.at(-1)!;
    expect(rec.resolver.byMac(0x0242ac1e0014, last.tsSec)?.container).toBe(LATE.name);
    expect(rec.resolver.byMac(0x0242ac1e0014, T0 + 50)).toBeUndefined();
    expect(rec.topology?.containers.map((c) => c.name)).toContain(LATE.name);
  });

  it('topology --file shows what the capture started with and each change, --json the history itself', () => {
    const text = runCli(['topology', '--file', history]);
    expect(text.status).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toMatch(/^2027-\d\d-\d\d \d\d:\d\d:\d\d\.000 UTC {2}capture started with 3 container\(s\)$/);
    expect(lines).toContain(`${new Date((T0 + 100.5) * 1000).toISOString().replace('T', ' ').replace('Z', ' UTC')}  + ${LATE.name} (running)  ${LATE.ip} on br_xx`);
    expect(lines.slice(lines.indexOf('containers the capture knew (last state seen):'))).toContain(`    ${LATE.name} (running)  ${LATE.ip} on br_xx`);
    const json = JSON.parse(runCli(['topology', '--file', history, '--json']).stdout) as { snapshots: { at: number; topology: Topology }[] };
    expect(json.snapshots.map((h) => [h.at, h.topology.containers.length])).toEqual([[T0, 3], [T0 + 100.5, 4]]);
  });

  it('a classic pcap keeps the same history in its sidecar', () => {
    const pcap = file('history.pcap');
    writeHistoryFile(pcap, new PcapWriter(pcap));
    const sidecar = JSON.parse(readFileSync(`${pcap}.topology.json`, 'utf8')) as { snapshots: { at: number }[] };
    expect(sidecar.snapshots.map((s) => s.at)).toEqual([T0, T0 + 100.5]);
    const out = rows(runCli(['replay', pcap, '--json', '--no-analysis']).stdout);
    expect(out.at(0)?.src.container).toBeUndefined();
    expect(out.at(-1)?.src.container).toBe(LATE.name);
  });
});

/** The shipped capture with its snapshot's bytes changed (same length, so every block stays valid). */
function damaged(name: string, change: (json: string) => string): string {
  const bytes = readFileSync('captures/seed-ping.pcapng');
  const text = bytes.toString('latin1');
  const from = text.indexOf('{"at":');
  const to = text.indexOf('"routes"', from);
  const part = text.slice(from, to);
  const changed = change(part);
  expect(changed).not.toBe(part);
  expect(changed.length).toBe(part.length);
  return file(name, Buffer.from(text.slice(0, from) + changed + text.slice(to), 'latin1'));
}

describe('a snapshot that cannot be used costs its names, never its frames (issue 15 findings 1 and 8)', () => {
  const cases: Array<[string, (json: string) => string, RegExp]> = [
    ['a MAC that is not one', (j) => j.replace('"02:42:ac:1e:00:0a"', '"02:42:ac:1e:00:zz"'), /field topology\.bridges\[0\]\.ports\[\d+\]\.learned\[0\]\.mac: not a MAC address/],
    ['a null entry', (j) => j.replace(/\{"containerId":[^}]*\}/, (m) => `null${' '.repeat(m.length - 4)}`), /field topology\.endpoints\[0\]: Expected object, received null/],
    ['a flipped byte', (j) => j.replace('{"at":', '{"at";'), /is not valid JSON/],
    ['another writer of PEN 32473', (j) => j, /not a bridgescope snapshot/],
  ];

  it.each(cases)('%s: the 12 frames, exit 0, one sanitized warning', (what, change, why) => {
    const path =
      what === 'another writer of PEN 32473'
        ? file('foreign.pcapng', Buffer.from(readFileSync('captures/seed-ping.pcapng').toString('latin1').replace('bridgescope/topology', 'someone-else/example'), 'latin1'))
        : damaged(`${what}.pcapng`, change);
    const r = runCli(['replay', path, '--json', '--no-analysis']);
    expect(r.status).toBe(0);
    expect(rows(r.stdout)).toHaveLength(12);
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(why);
    expect(lines[0]).toMatch(/frames are shown without those names$/);
    expect([...lines[0]].every((c) => c >= ' ')).toBe(true);
  });

  itCorpus('test202.pcapng (a foreign PEN 32473 custom block): every frame, exit 0, one warning', () => {
    const r = runCli(['replay', join(corpusDir, 'gopacket__le__test202.pcapng'), '--json']);
    expect(r.status).toBe(0);
    const tshark = spawnSync('tshark', ['-r', join(corpusDir, 'gopacket__le__test202.pcapng'), '-T', 'fields', '-e', '_ws.col.Protocol'], { encoding: 'utf8' });
    const packets = tshark.stdout.split('\n').filter((l) => l !== '' && l !== 'PCAPNG').length;
    expect(packets).toBe(8);
    expect(rows(r.stdout)).toHaveLength(packets);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([expect.stringMatching(/test202\.pcapng: a custom block with PEN 32473 is not a bridgescope snapshot/)]);
  });

  it('a first-format file (the snapshot in a PEN 32473 custom block) still names its frames', () => {
    const r = runCli(['replay', 'test/fixtures/seed-ping-custom-block.pcapng', '--json', '--no-analysis']);
    expect(r.stderr).toBe('');
    const out = rows(r.stdout);
    expect(out).toHaveLength(12);
    expect(out[0].src.container).toBe('web-bridge-1');
  });
});

describeLive('tshark counts the frames we count in every pcapng we write', { tools: ['tshark'] }, () => {
  const ROOT_WARNING = /^Running as user "root" and group "root"\. This could be dangerous\.\n?/;
  function tshark(path: string): { numbers: number[]; protocols: string[] } {
    const r = spawnSync('tshark', ['-n', '-r', path, '-T', 'fields', '-e', 'frame.number', '-e', '_ws.col.Protocol'], { encoding: 'utf8' });
    expect(r.stderr.replace(ROOT_WARNING, '')).toBe('');
    const rowsOf = r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t'));
    return { numbers: rowsOf.map((c) => Number(c[0])), protocols: rowsOf.map((c) => c[1]) };
  }

  it('a capture with snapshots mid-stream on two interfaces, the shipped capture, and an embedded rewrite', async () => {
    const embedded = file('embedded.pcapng');
    const embeddedFrames = await embedSnapshot('captures/seed-ping.pcap', embedded, 'br-74059b0ceed3', seed);
    const files: Array<[string, number]> = [
      [writeHistoryFile(file('tshark-history.pcapng')), BEFORE + AFTER],
      ['captures/seed-ping.pcapng', 12],
      [embedded, embeddedFrames],
    ];
    for (const [path, frames] of files) {
      const ours = rows(runCli(['replay', path, '--json', '--no-analysis']).stdout).map((f) => f.n);
      const theirs = tshark(path);
      expect(theirs.protocols).not.toContain('PCAPNG');
      expect(theirs.numbers).toEqual(ours);
      expect(ours).toHaveLength(frames);
    }
  });
});
