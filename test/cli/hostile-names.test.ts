import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'bridgescope-hostile-'));
// OSC 52 (set the clipboard to "Hi") closed by BEL: what a terminal would act on.
const name = 'x\x1b]52;c;SGk=\x07.pcap';
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('a hostile file name never reaches the terminal raw (finding 3)', () => {
  it('replay of a damaged file named with OSC 52 prints the name escaped on stderr', () => {
    const seed = new Uint8Array(readFileSync(join(repoRoot, 'captures/seed-ping.pcap')));
    const path = join(dir, name);
    writeFileSync(path, seed.subarray(0, seed.length - 7));
    const r = runCli(['replay', '--no-names', '--no-tui', path]);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(RAW);
    expect(r.stderr).toContain('x\\x1b]52;c;SGk=\\x07.pcap');
    expect(r.stdout).not.toMatch(RAW);
    expect(r.stdout.split('\n').length).toBeGreaterThan(5);
  });

  it('a missing file of that name, and a bad flag value carrying escapes, are escaped too', () => {
    const missing = runCli(['replay', join(dir, `missing-${name}`)]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).not.toMatch(RAW);
    expect(missing.stderr).toContain('\\x1b]52');
    const flag = runCli(['replay', '-c', '\x1b[2J', join(dir, name)]);
    expect(flag.status).toBe(2);
    expect(flag.stderr).not.toMatch(RAW);
  });

  it('an empty file of that name: the "no frames" notice is escaped', () => {
    const path = join(dir, `empty-${name}`);
    const pcapHeader = Uint8Array.from([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0]);
    writeFileSync(path, pcapHeader);
    const r = runCli(['replay', '--no-names', '--no-tui', path]);
    expect(r.stderr).not.toMatch(RAW);
    expect(r.stderr).toContain('no frames');
  });
});

describe('analysis keeps names raw; each output escapes them its own way', () => {
  const hostile = 'web\x1b]52;c;SGk=\x07\u202e-2';
  const topology = join(dir, 'hostile-topology.json');
  const seed = JSON.parse(readFileSync(join(repoRoot, 'captures/seed-ping.pcap.topology.json'), 'utf8'));
  writeFileSync(topology, JSON.stringify(seed).replaceAll('"web-bridge-2"', JSON.stringify(hostile)));
  const capture = join(repoRoot, 'captures/seed-ping.pcap');

  it('summary prints the pair escaped in the table', () => {
    const r = runCli(['summary', capture, '--topology', topology]);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(RAW);
    expect(r.stdout).toContain('web\\x1b]52;c;SGk=\\x07\\u202e-2 <-> web-bridge-1');
  });

  it('summary --json carries the name itself, written as JSON escapes (no terminal escaping inside the value)', () => {
    const r = runCli(['summary', capture, '--topology', topology, '--json']);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(RAW);
    const report = JSON.parse(r.stdout) as { pairs: { a: string; b: string }[] };
    expect(report.pairs.map((p) => [p.a, p.b])).toContainEqual([hostile, 'web-bridge-1']);
  });
});
