import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from './run-cli.js';

const seed = join(repoRoot, 'captures/seed-ping.pcapng');
const dir = mkdtempSync(join(tmpdir(), 'bridgescope-assert-'));

function expectation(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const NAMED = expectation('named.expect', 'arp request web-bridge-1 -> web-bridge-2\nicmp echo-reply web-bridge-2 -> web-bridge-1 x4\nno arp from web-default\n');

describe('bridgescope assert --file', () => {
  it('meets a named expectation on the seed capture by path', () => {
    const r = runCli(['assert', '--expect', NAMED, '--file', seed]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ok    3  no arp from web-default');
  });

  // Bug 7 (issue 11): names for standard input come from the snapshot blocks read with the frames.
  it('keeps the names when the same capture comes on standard input (--file -)', () => {
    const r = runCli(['assert', '--expect', NAMED, '--file', '-'], readFileSync(seed));
    expect(r.stdout).not.toContain('no frame was named');
    expect(r.status).toBe(0);
  });

  it('names addresses by hand with a topology file as the README shows it', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const json = /<!-- hand-topology -->\n```json\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(json).toBeDefined();
    const topology = expectation('hand.topology.json', json!);
    const pcap = join(repoRoot, 'captures/seed-ping.pcap');
    const r = runCli(['assert', '--expect', expectation('hand.expect', 'arp request alpha -> beta\nicmp echo-reply beta -> alpha x4\n'), '--file', pcap, '--topology', topology]);
    expect(r.stdout).toContain('ok    2  icmp echo-reply beta -> alpha x4  frames 4, 6, 8, 10');
    expect(r.status).toBe(0);
  });

  it('checks a file of only "no" lines', () => {
    const r = runCli(['assert', '--expect', expectation('no.expect', 'no arp from web-default\nno icmp to web-default\n'), '--file', seed]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^expectation met \(\d+ frames\)/);
  });

  it('refuses conflicting modifiers with file:line:column, exit 2', () => {
    const f = expectation('conflict.expect', '# two counts\narp request any -> any x4 at least 1\n');
    const r = runCli(['assert', '--expect', f, '--file', seed]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(`bridgescope: ${f}:2:27: "at least 1" conflicts with "x4" (column 24): a step takes one count (a range is x2..3, or at least 2 at most 3)`);
  });
});
