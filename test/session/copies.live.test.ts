import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { tsharkTimes } from '../lab/cli-process.js';
import { labExec } from '../lab/docker-lab.js';
import { flushContainerNeighbours } from '../lab/neighbours.js';
import { describeLive } from '../support/live.js';
import { seedLabSuite } from '../lab/seed-lab-suite.js';
import { runCli } from '../cli/run-cli.js';

interface Rec {
  proto: string;
  summary: string;
  iface?: string;
  src: { name?: string };
  dst: { name?: string };
  icmp?: { type: number; seq?: number };
  hops?: { iface: string; ts: string }[];
}

const records = (stdout: string): Rec[] => stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Rec);
const count = (recs: Rec[], proto: string) => recs.filter((r) => r.proto === proto).length;
const echoes = (recs: Rec[]) => recs.filter((r) => r.icmp?.type === 8 || r.icmp?.type === 0);

describeLive('one frame seen on both veths and the bridge is shown once', { root: true, docker: true, tools: ['tshark', 'nsenter'] }, () => {
  const suite = seedLabSuite('bs-copies-');
  const cli = suite.cli;

  it('web-bridge-1 pings web-bridge-2: each echo once with three hops, counts as on the bridge alone', async () => {
    const file = suite.path('three.pcapng');
    const bridge = execFileSync('docker', ['network', 'inspect', '-f', '{{.Id}}', 'br_xx'], { encoding: 'utf8' }).trim();
    const brName = `br-${bridge.slice(0, 12)}`;
    flushContainerNeighbours('web-bridge-1', 'web-bridge-2');
    const three = cli(['capture', 'web-bridge-1', 'br_xx', 'web-bridge-2', '--json', '-f', 'arp or icmp', '-w', file, '--print']);
    const bridgeOnly = cli(['capture', 'br_xx', '--json', '-f', 'arp or icmp']);
    await three.until('capture start', (p) => p.stderr.includes('capturing on') || p.child.exitCode !== null, 15_000).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
    labExec('web-bridge-1', ['ping', '-c', '3', '172.30.0.11']);
    await three.until('6 echoes', (p) => echoes(records(p.stdout)).length >= 6);
    await bridgeOnly.until('6 echoes', (p) => echoes(records(p.stdout)).length >= 6);
    await new Promise((r) => setTimeout(r, 300));
    expect((await three.stop('SIGINT')).code).toBe(0);
    expect((await bridgeOnly.stop('SIGINT')).code).toBe(0);

    const merged = records(three.stdout);
    const alone = records(bridgeOnly.stdout);
    expect(echoes(merged)).toHaveLength(6);
    for (const e of echoes(merged)) {
      expect(e.hops?.map((h) => h.iface)).toHaveLength(3);
      // In the order seen, which is each tap's own timestamp: the bridge is not always in the middle.
      expect(e.hops!.map((h) => h.iface)).toContain(brName);
      expect(new Set(e.hops!.map((h) => h.iface)).size).toBe(3);
    }
    const req = echoes(merged).find((e) => e.icmp?.type === 8)!;
    expect([req.src.name, req.dst.name]).toEqual(['web-bridge-1', 'web-bridge-2']);
    expect(req.hops![0].ts).toBe((req as unknown as { ts: string }).ts);
    expect(count(merged, 'ARP')).toBe(count(alone, 'ARP'));
    expect(count(merged, 'ICMP')).toBe(count(alone, 'ICMP'));
    expect(count(merged, 'ARP')).toBeGreaterThanOrEqual(2);

    // The file keeps every copy (tshark's oracle count), and its replay merges as live did.
    expect(tsharkTimes(file)).toHaveLength(3 * merged.length);
    const replayed = records(runCli(['replay', file, '--json']).stdout);
    expect(replayed.map((r) => [r.summary, r.hops?.map((h) => h.iface)])).toEqual(merged.map((r) => [r.summary, r.hops?.map((h) => h.iface)]));
    expect(records(runCli(['replay', file, '--json', '--all-copies']).stdout)).toHaveLength(3 * merged.length);
    const text = runCli(['replay', file, '--no-tui']).stdout;
    expect(text).not.toMatch(/seen again/);
    expect(text).toMatch(/ICMP echo request, id \d+, seq 0 \[\S+ → \S+ → \S+, \+\d+ µs\]$/m);
    expect(text).toContain(brName);
    const summary = JSON.parse(runCli(['summary', file, '--json']).stdout) as { pairs: { icmp: { requests: number; replies: number } }[]; findings: unknown[] };
    expect(summary.pairs.map((p) => p.icmp.requests + p.icmp.replies).reduce((a, b) => a + b, 0)).toBe(6);
  }, 60_000);

  it('capture --all-copies shows each echo three times, once per interface', async () => {
    flushContainerNeighbours('web-bridge-1', 'web-bridge-2');
    const all = cli(['capture', 'web-bridge-1', 'br_xx', 'web-bridge-2', '--json', '-f', 'icmp', '--all-copies']);
    await all.started().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
    labExec('web-bridge-1', ['ping', '-c', '2', '172.30.0.11']);
    await all.until('12 copies', (p) => echoes(records(p.stdout)).length >= 12);
    await new Promise((r) => setTimeout(r, 300));
    await all.stop('SIGINT');
    const recs = echoes(records(all.stdout));
    expect(recs).toHaveLength(12);
    expect(recs.every((r) => r.hops === undefined)).toBe(true);
    expect(new Set(recs.map((r) => r.iface)).size).toBe(3);
  }, 60_000);
});
