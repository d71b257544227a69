import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from './run-cli.js';

const seed = join(repoRoot, 'captures/seed-ping.pcap');
const dir = mkdtempSync(join(tmpdir(), 'bridgescope-replay-'));

function variant(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** A user mistake: exit 2, exactly one line on stderr naming the file, no stack trace. */
function expectOneLineError(r: ReturnType<typeof runCli>, file: string, pattern: RegExp): void {
  expect(r.status).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(file);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('bridgescope replay', () => {
  const bytes = new Uint8Array(readFileSync(seed));

  it('prints one line per frame with ARP and ICMP summaries', () => {
    const r = runCli(['replay', '--no-names', seed]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(10);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{6} {2}\S+ > broadcast {2}ARP who-has 172\.30\.0\.11 tell 172\.30\.0\.10$/);
    expect(lines.some((l) => / 172\.30\.0\.10 > 172\.30\.0\.11 {2}ICMP echo request, id \d+, seq 0$/.test(l))).toBe(true);
  });

  it.each(['seed-ping.pcap', 'seed-ping.pcapng'])('names every seed frame by container from the snapshot stored with %s', (name) => {
    const r = runCli(['replay', join(repoRoot, 'captures', name)]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/ {2}web-bridge-1 > broadcast {2}ARP who-has 172\.30\.0\.11 \(web-bridge-2\) tell 172\.30\.0\.10 \(web-bridge-1\)$/);
    expect(lines[1]).toMatch(/ {2}web-bridge-2 > web-bridge-1 {2}ARP reply 172\.30\.0\.11 \(web-bridge-2\) is-at /);
    const icmp = lines.filter((l) => l.includes('ICMP echo'));
    expect(icmp.length).toBeGreaterThanOrEqual(8);
    for (const l of icmp) expect(l).toMatch(/ {2}web-bridge-[12] > web-bridge-[12] {2}ICMP echo (request|reply)/);
  });

  it('names nothing with --no-names and fails clearly on a missing --topology', () => {
    expect(runCli(['replay', '--no-names', seed]).stdout).not.toContain('web-bridge');
    const missing = join(dir, 'none.json');
    expectOneLineError(runCli(['replay', '--topology', missing, seed]), missing, /no such topology snapshot/);
  });

  it('gives each reply its RTT and prints findings as ! lines', () => {
    const lines = runCli(['replay', seed]).stdout.trim().split('\n');
    const replies = lines.filter((l) => / ICMP echo reply, id \d+, seq \d+/.test(l));
    expect(replies.length).toBeGreaterThanOrEqual(4);
    for (const l of replies) expect(l).toMatch(/, rtt \d+\.\d{3} ms$/);
    expect(runCli(['replay', '--no-analysis', seed]).stdout).not.toContain('rtt');
    const json = runCli(['replay', '--json', seed]).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(json.filter((r) => r.icmp?.type === 0).every((r) => r.rttNs > 0)).toBe(true);
    const probe = join(dir, 'probe.pcap');
    const frame = Uint8Array.from([255, 255, 255, 255, 255, 255, 2, 66, 172, 30, 0, 12, 8, 6, 0, 1, 8, 0, 6, 4, 0, 1,
      2, 66, 172, 30, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 172, 30, 0, 12]);
    const header = Buffer.alloc(24);
    header.writeUInt32LE(0xa1b2c3d4, 0);
    header.writeUInt16LE(2, 4);
    header.writeUInt16LE(4, 6);
    header.writeUInt32LE(65535, 16);
    header.writeUInt32LE(1, 20);
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(1_700_000_000, 0);
    rec.writeUInt32LE(frame.length, 8);
    rec.writeUInt32LE(frame.length, 12);
    writeFileSync(probe, Buffer.concat([header, rec, frame]));
    const out = runCli(['replay', probe]).stdout;
    expect(out).toContain('ARP who-has 172.30.0.12 tell 0.0.0.0 (probe)');
    expect(out).toMatch(/\n {2}! .*172\.30\.0\.12/);
  });

  it('reads a capture from standard input', () => {
    const fromFile = runCli(['replay', '--no-names', seed]).stdout;
    const fromStdin = runCli(['replay', '--no-names', '-'], Buffer.from(bytes));
    expect(fromStdin.status).toBe(0);
    expect(fromStdin.stdout).toBe(fromFile);
  });

  it('stops after --count frames', () => {
    const r = runCli(['replay', '-c', '3', seed]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('writes NDJSON with exact nanosecond timestamps', () => {
    const r = runCli(['replay', '--json', '--no-names', seed]);
    const recs = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(recs[0].n).toBe(1);
    expect(recs[0].ts).toMatch(/^\d+\.\d{9}$/);
    expect(recs[0].arp).toMatchObject({ op: 1, senderIp: '172.30.0.10', targetIp: '172.30.0.11' });
    const echo = recs.find((x) => x.icmp?.type === 8);
    expect(echo.ipv4).toMatchObject({ src: '172.30.0.10', dst: '172.30.0.11', proto: 1 });
    expect(typeof echo.icmp.seq).toBe('number');
  });

  it('paces by timestamps with --speed', () => {
    const t0 = Date.now();
    const r = runCli(['replay', '--speed', '20', '-c', '5', seed]);
    expect(r.status).toBe(0);
    // Frames 1..5 of the seed capture span about two seconds; at 20x that is about 100 ms.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(50);
  });

  it('keeps the frames before a truncated record and names file and offset', () => {
    const cut = variant('cut.pcap', bytes.subarray(0, bytes.length - 10));
    const r = runCli(['replay', '--no-names', cut]);
    expectOneLineError(r, cut, /offset \d+/);
    const full = runCli(['replay', '--no-names', seed]).stdout.trim().split('\n');
    const got = r.stdout.trim().split('\n');
    expect(got).toEqual(full.slice(0, full.length - 1));
  });

  it.each([
    ['an empty file', () => variant('empty.pcap', new Uint8Array(0)), /empty/],
    ['a truncated global header', () => variant('hdr.pcap', bytes.subarray(0, 10)), /offset 0/],
    ['bad magic', () => variant('magic.pcap', Uint8Array.from([1, 2, 3, 4, ...bytes.subarray(4)])), /magic/],
    ['a missing file', () => join(dir, 'nope.pcap'), /no such file/],
    ['a directory', () => dir, /directory/],
  ])('rejects %s with one line and exit 2', (_name, make, pattern) => {
    const file = make();
    expectOneLineError(runCli(['replay', file]), file, pattern);
  });

  it('names the flag in a usage error', () => {
    const r = runCli(['replay', '--speed', '-3', seed]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--speed');
  });
});
