import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { A, B, echoFrame } from '../analyze/build-frames.js';
import { runCli } from '../cli/run-cli.js';
import { tempDir } from '../pcap/temp-file.js';
import { interfaces, writeMultiInterface, type Sighting } from './multi-if.js';

const file = tempDir();

/** Three pings across vethA, the bridge and vethB, each frame seen on all three. */
function threeInterfaceFile(): string {
  const path = file('three.pcapng');
  const s: Sighting[] = [];
  for (let seq = 0; seq < 3; seq++) {
    const t = seq * 1_000_000;
    const req = echoFrame(8, A, B, 7, seq);
    const rep = echoFrame(0, B, A, 7, seq);
    s.push({ us: t, on: 0, bytes: req }, { us: t + 5, on: 1, bytes: req }, { us: t + 12, on: 2, bytes: req });
    s.push({ us: t + 40, on: 2, bytes: rep }, { us: t + 44, on: 1, bytes: rep }, { us: t + 51, on: 0, bytes: rep });
  }
  writeMultiInterface(path, interfaces('veth848035b', 'br-shop', 'veth1cf8419'), s);
  return path;
}

describe('replay of a multi-interface capture merges copies as live does', () => {
  const path = threeInterfaceFile();

  it('text: one line per frame, where it was seen and how long it took', () => {
    const r = runCli(['replay', path, '--no-tui']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(/ICMP echo request, id 7, seq 0 \[veth848035b → br-shop → veth1cf8419, \+12 µs\]$/);
    expect(lines[1]).toMatch(/ICMP echo reply, id 7, seq 0, rtt 0\.040 ms \[veth1cf8419 → br-shop → veth848035b, \+11 µs\]$/);
    expect(r.stdout).not.toMatch(/seen again|!/);
  });

  it('NDJSON: hops with the same 9-decimal ts as ts', () => {
    const recs = runCli(['replay', path, '--json']).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(recs).toHaveLength(6);
    expect(recs[0].hops).toEqual([
      { iface: 'veth848035b', ts: '1700000000.000000000' },
      { iface: 'br-shop', ts: '1700000000.000005000' },
      { iface: 'veth1cf8419', ts: '1700000000.000012000' },
    ]);
    expect(recs[0].ts).toBe(recs[0].hops[0].ts);
  });

  it('--all-copies shows every copy as captured, each with its interface', () => {
    const r = runCli(['replay', path, '--no-tui', '--all-copies', '--no-analysis']);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(18);
    expect(lines.slice(0, 3).map((l) => l.match(/\[(\S+)\]$/)?.[1])).toEqual(['veth848035b', 'br-shop', 'veth1cf8419']);
    expect(runCli(['replay', path, '--json', '--all-copies']).stdout.trim().split('\n')[0]).not.toContain('hops');
  });

  it('summary counts each echo once; --all-copies counts the copies', () => {
    const once = JSON.parse(runCli(['summary', path, '--json']).stdout);
    expect(once.frames).toBe(6);
    expect(once.pairs[0].icmp.requests).toBe(3);
    expect(once.pairs[0].icmp.replies).toBe(3);
    expect(once.findings).toEqual([]);
    const all = JSON.parse(runCli(['summary', path, '--json', '--all-copies']).stdout);
    expect(all.frames).toBe(18);
  });

  it('assert sees each echo once', () => {
    const expect3 = file('three.expect');
    writeFileSync(expect3, 'any order\n  icmp echo-request 172.30.0.10 -> 172.30.0.11 x3\n  icmp echo-reply 172.30.0.11 -> 172.30.0.10 x3\nend\n');
    expect(runCli(['assert', '--expect', expect3, '--file', path]).status).toBe(0);
    expect(runCli(['assert', '--expect', expect3, '--file', path, '--all-copies']).status).toBe(1);
  });
});
