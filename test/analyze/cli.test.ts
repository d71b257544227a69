import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { corpusDir, itCorpus } from '../support/corpus.js';

const SEED = 'captures/seed-ping.pcap';
const dir = mkdtempSync(join(tmpdir(), 'bs-assert-'));
function expectFile(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('bridgescope summary', () => {
  itCorpus('names the ICMP error of a corpus file, exit 0', () => {
    const r = runCli(['summary', join(corpusDir, 'zeek__icmp__icmp-destunreach-udp.pcap')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('1 frames, 1 finding');
    expect(r.stdout).toMatch(/error +frame +1 .*port unreachable for .* UDP port \d+/);
  });

  it('exits 2 with one line on a missing file', () => {
    const r = runCli(['summary', 'no-such.pcap']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('bridgescope: no-such.pcap: no such file at byte offset 0\n');
  });

  it.skipIf(!existsSync(SEED))('--json on the seed: one pair, 4 answered pings', () => {
    const r = runCli(['summary', SEED, '--json']);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    const pair = report.pairs.find((p: { a: string; b: string }) => p.a === 'web-bridge-1' && p.b === 'web-bridge-2');
    expect(pair.icmp).toMatchObject({ requests: 4, replies: 4, lost: 0, loss: 0 });
  });
});

describe('bridgescope assert', () => {
  const met = expectFile('met.expect', 'arp request web-bridge-1 -> web-bridge-2\nany order\n  icmp echo-request web-bridge-1 -> web-bridge-2 x4\n  icmp echo-reply web-bridge-2 -> web-bridge-1 x4\nend\n');
  const notMet = expectFile('not-met.expect', '# too few\nicmp echo-request web-bridge-1 -> web-bridge-2 x3\narp any\n');
  const bad = expectFile('bad.expect', '\narp request web-bridge-1 => web-bridge-2\n');

  it.skipIf(!existsSync(SEED))('exit 0 when met, 1 with the report when not', () => {
    const ok = runCli(['assert', '--expect', met, '--file', SEED]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('expectation met');
    const no = runCli(['assert', '--expect', notMet, '--file', SEED]);
    expect(no.status).toBe(1);
    expect(no.stdout).toContain('expectation NOT met: step 1 (line 2): icmp echo-request web-bridge-1 -> web-bridge-2 x3');
    expect(no.stdout).toMatch(/is match 4, expected 3/);
    const json = JSON.parse(runCli(['assert', '--expect', notMet, '--file', SEED, '--json']).stdout);
    expect(json).toMatchObject({ ok: false, failure: { kind: 'too-many', step: 0, line: 2 } });
  });

  it('exit 2 for a bad expectation (file:line:column) and for usage mistakes', () => {
    const syntax = runCli(['assert', '--expect', bad, '--file', SEED]);
    expect(syntax.status).toBe(2);
    expect(syntax.stderr).toBe(`bridgescope: ${bad}:2:26: expected "->" after web-bridge-1\n`);
    expect(runCli(['assert', '--expect', join(dir, 'none.expect'), '--file', SEED]).stderr).toContain('no such expectation file');
    const nothing = runCli(['assert', '--expect', met]);
    expect([nothing.status, nothing.stderr]).toEqual([2, 'bridgescope: nothing to check: give --file CAPTURE, or a live TARGET with --duration\n']);
    const both = runCli(['assert', '--expect', met, '--file', SEED, 'web-bridge-1']);
    expect(both.status).toBe(2);
    const noDuration = runCli(['assert', '--expect', met, 'web-bridge-1']);
    expect([noDuration.status, noDuration.stderr]).toEqual([2, 'bridgescope: live assert on web-bridge-1 needs --duration (e.g. --duration 10s)\n']);
  });
});
