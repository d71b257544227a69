import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FrameDecoder, runTrace, type OwnedFrame } from '../../src/index.js';
import { runCli } from '../cli/run-cli.js';
import { runLabContainer, seedLabDown, seedLabUp } from '../lab/docker-lab.js';
import { flushContainerNeighbours } from '../lab/neighbours.js';
import { describeLive } from '../support/live.js';

/** ping's own RTT per sequence number, in ms, from its output ("seq=0 ttl=64 time=0.251 ms"). */
function pingRtts(stdout: string): Map<number, number> {
  return new Map([...stdout.matchAll(/seq=(\d+) ttl=\d+ time=([\d.]+) ms/g)].map((m) => [Number(m[1]), Number(m[2])]));
}

/** RTT per sequence number, in ms, from the echo request and reply frames the trace captured. */
function wireRtts(frames: OwnedFrame[]): Map<number, number> {
  const dec = new FrameDecoder();
  const sent = new Map<number, number>();
  const rtt = new Map<number, number>();
  for (const fr of frames) {
    const f = dec.decode(fr.bytes, fr.linkType, fr.origLen);
    const ms = fr.tsSec * 1e3 + fr.tsNsec / 1e6;
    if (f.icmp?.type === 8) sent.set(f.icmp.sequence, ms);
    if (f.icmp?.type === 0 && sent.has(f.icmp.sequence)) rtt.set(f.icmp.sequence, ms - sent.get(f.icmp.sequence)!);
  }
  return rtt;
}

const frameLines = (stdout: string) => stdout.split('\n').filter((l) => /^\d\d:\d\d:\d\d\.\d{6} {2}/.test(l));

describeLive('bridgescope trace on the seed lab', { root: true, docker: true, tools: ['nsenter'] }, () => {
  let dir: string;
  beforeAll(async () => {
    await seedLabUp();
    dir = await mkdtemp(join(tmpdir(), 'bs-trace-'));
  });
  afterAll(async () => {
    await seedLabDown();
    await rm(dir, { recursive: true, force: true });
  });

  it('trace web-bridge-1 web-bridge-2 -c 3: named lines, ARP on a cold cache, verdict met, exit 0', () => {
    flushContainerNeighbours('web-bridge-1', 'web-bridge-2');
    const r = runCli(['trace', 'web-bridge-1', 'web-bridge-2', '-c', '3']);
    expect(r.status, r.stderr).toBe(0);
    const lines = frameLines(r.stdout);
    expect(lines[0]).toMatch(/ {2}web-bridge-1 > broadcast {2}ARP who-has 172\.30\.0\.11 \(web-bridge-2\) tell 172\.30\.0\.10 \(web-bridge-1\)$/);
    expect(lines[1]).toMatch(/ {2}web-bridge-2 > web-bridge-1 {2}ARP reply 172\.30\.0\.11 \(web-bridge-2\) is-at /);
    const echoes = lines.filter((l) => l.includes('ICMP echo'));
    expect(echoes).toHaveLength(6);
    for (const l of echoes) expect(l).toMatch(/ {2}(web-bridge-1 > web-bridge-2 {2}ICMP echo request, id \d+, seq \d|web-bridge-2 > web-bridge-1 {2}ICMP echo reply, id \d+, seq \d, rtt \d+\.\d{3} ms)$/);
    expect(r.stdout).toMatch(/web-bridge-1 <-> web-bridge-2: ARP 1 requests \/ 1 replies; ICMP 3 requests \/ 3 replies, rtt min\/avg\/max\/p99 = [\d.]+\//);
    expect(r.stdout).toContain('verdict: met (web-bridge-1 -> web-bridge-2)');
  });

  it('runTrace: RTTs on the wire agree with ping’s own within 1 ms, seq by seq', async () => {
    flushContainerNeighbours('web-bridge-1');
    const r = await runTrace({ from: 'web-bridge-1', to: 'web-bridge-2', count: 3 });
    expect(r.met, r.reasons.join('\n')).toBe(true);
    expect(r.match?.ok).toBe(true);
    const ping = pingRtts(r.ping!.stdout);
    const wire = wireRtts(r.frames);
    expect([...ping.keys()].sort()).toEqual([0, 1, 2]);
    expect([...wire.keys()].sort()).toEqual([0, 1, 2]);
    for (const [seq, ms] of ping) expect(Math.abs(wire.get(seq)! - ms), `seq ${seq}: wire ${wire.get(seq)} ms, ping ${ms} ms`).toBeLessThan(1);
    // The report's figures are the same RTTs, in ns.
    const pair = r.report!.pairs.find((p) => [p.a, p.b].sort().join() === 'web-bridge-1,web-bridge-2')!;
    expect(pair.icmp.rtt.count).toBe(3);
    expect(Math.abs(pair.icmp.rtt.maxNs! / 1e6 - Math.max(...wire.values()))).toBeLessThan(0.001);
  });

  it('trace to a stopped container: verdict NOT met naming it, exit 1', async () => {
    const c = await runLabContainer('trace-stopped', { network: 'br_xx', ipv4: '172.30.0.30' });
    await c.kill();
    const r = runCli(['trace', 'web-bridge-1', 'trace-stopped']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('verdict: NOT met (web-bridge-1 -> trace-stopped)');
    expect(r.stdout).toMatch(/ {2}- trace-stopped is not running \(exited\)/);
    expect(frameLines(r.stdout)).toEqual([]);
  });

  it('trace web-default web-bridge-2: exit 1, the requests stop at the first bridge because Docker isolates bridges', () => {
    const r = runCli(['trace', 'web-default', 'web-bridge-2', '-c', '2']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^path: web-default and web-bridge-2 share no network: web-default is on bridge \(docker0\), web-bridge-2 is on br_xx \(br-[0-9a-f]{12}\); packets must cross the host/m);
    expect(r.stdout).toContain('verdict: NOT met (web-default -> web-bridge-2)');
    expect(r.stdout).toMatch(/ping in web-default exited 1: 2 packets transmitted, 0 packets received/);
    expect(r.stdout).toMatch(/echo requests were seen on one bridge only: .*Docker isolates bridge networks/);
    const requests = frameLines(r.stdout).filter((l) => l.includes('web-default > web-bridge-2  ICMP echo request'));
    expect(requests).toHaveLength(2);
  });

  it('--write keeps the capture, and its replay gives the same pairs and findings as the trace', () => {
    const file = join(dir, 'trace.pcapng');
    flushContainerNeighbours('web-bridge-1');
    const t = runCli(['trace', 'web-bridge-1', 'web-bridge-2', '-c', '2', '--json', '--write', file]);
    expect(t.status, t.stderr).toBe(0);
    const traced = JSON.parse(t.stdout) as { met: boolean; frames: number; pairs: unknown[]; findings: unknown[] };
    expect(traced.met).toBe(true);
    const s = runCli(['summary', file, '--json']);
    expect(s.status, s.stderr).toBe(0);
    const replayed = JSON.parse(s.stdout) as { frames: number; pairs: unknown[]; findings: unknown[] };
    expect(replayed.frames).toBe(traced.frames);
    expect(replayed.pairs).toEqual(traced.pairs);
    expect(replayed.findings).toEqual(traced.findings);
    expect(JSON.stringify(replayed.pairs)).toContain('"a":"web-bridge-1","b":"web-bridge-2"');
  });
});
