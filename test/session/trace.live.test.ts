import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FrameDecoder, runTrace, type OwnedFrame } from '../../src/index.js';
import { runCli } from '../cli/run-cli.js';
import { runLabContainer, seedLabDown, seedLabUp } from '../lab/docker-lab.js';
import { describeLive } from '../support/live.js';

/** ping's own RTT per sequence number, in ms, from its output ("icmp_seq=1 ttl=64 time=0.251 ms"). */
function pingRtts(output: string): Map<number, number> {
  return new Map([...output.matchAll(/seq=(\d+) ttl=\d+ time=([\d.]+) ms/g)].map((m) => [Number(m[1]), Number(m[2])]));
}

/** RTT per sequence number, in ms, from the echo request and reply copies one interface captured. */
function wireRtts(frames: OwnedFrame[], ifIndex: number): Map<number, number> {
  const dec = new FrameDecoder();
  const sent = new Map<number, number>();
  const rtt = new Map<number, number>();
  for (const fr of frames) {
    if (fr.ifIndex !== ifIndex) continue;
    const f = dec.decode(fr.bytes, fr.linkType, fr.origLen);
    const ms = fr.tsSec * 1e3 + fr.tsNsec / 1e6;
    if (f.icmp?.type === 8) sent.set(f.icmp.sequence, ms);
    if (f.icmp?.type === 0 && sent.has(f.icmp.sequence)) rtt.set(f.icmp.sequence, ms - sent.get(f.icmp.sequence)!);
  }
  return rtt;
}

const frameLines = (stdout: string) => stdout.split('\n').filter((l) => /^\d\d:\d\d:\d\d\.\d{6} \S+ {2}/.test(l));

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

  it('trace web-bridge-1 web-bridge-2 -c 3 --cold: each hop shows ARP then ICMP, named, verdict met, exit 0', () => {
    const r = runCli(['trace', 'web-bridge-1', 'web-bridge-2', '-c', '3', '--cold']);
    expect(r.status, r.stderr).toBe(0);
    const lines = frameLines(r.stdout);
    const veths = [...new Set(lines.map((l) => l.split(' ')[1]))];
    expect(veths).toHaveLength(3);
    for (const iface of veths) {
      const own = lines.filter((l) => l.split(' ')[1] === iface).map((l) => l.slice(l.indexOf('  ') + 2));
      expect(own[0]).toMatch(/^web-bridge-1 > broadcast {2}ARP who-has 172\.30\.0\.11 \(web-bridge-2\) tell 172\.30\.0\.10 \(web-bridge-1\)$/);
      expect(own[1]).toMatch(/^web-bridge-2 > web-bridge-1 {2}ARP reply 172\.30\.0\.11 \(web-bridge-2\) is-at /);
      const echoes = own.filter((l) => l.includes('ICMP echo'));
      expect(echoes).toHaveLength(6);
      for (const l of echoes) expect(l).toMatch(/^(web-bridge-1 > web-bridge-2 {2}ICMP echo request|web-bridge-2 > web-bridge-1 {2}ICMP echo reply), id \d+, seq \d$/);
    }
    expect(r.stdout).toMatch(/^ {2}web-bridge-2's veth\w+ +1 @[\d.]+ +1 @[\d.]+ +3 @[\d.]+ +3 @[\d.]+ +-$/m);
    expect(r.stdout).toContain('verdict: met (web-bridge-1 -> web-bridge-2)');
  });

  it('runTrace: RTTs on A\u2019s veth agree with ping\u2019s own within 1 ms, seq by seq', async () => {
    const r = await runTrace({ from: 'web-bridge-1', to: 'web-bridge-2', count: 3, cold: true });
    expect(r.met, r.verdict.summary).toBe(true);
    const ping = pingRtts(r.ping!.output);
    const wire = wireRtts(r.frames, r.interfaces.indexOf(r.hops[0].hop.interface));
    expect([...ping.keys()].sort()).toEqual([1, 2, 3]);
    expect([...wire.keys()].sort()).toEqual([1, 2, 3]);
    for (const [seq, ms] of ping) expect(Math.abs(wire.get(seq)! - ms), `seq ${seq}: wire ${wire.get(seq)} ms, ping ${ms} ms`).toBeLessThan(1);
    // The hop table's times are the same clock: A's first request is the first request anywhere.
    const firsts = r.hops.map((h) => h.echoRequests.firstMs!);
    expect(Math.min(...firsts)).toBe(firsts[0]);
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

  it('trace web-default web-bridge-2: exit 1, the requests stop at the first bridge, the isolation rule that counted them named', () => {
    const r = runCli(['trace', 'web-default', 'web-bridge-2', '-c', '2']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^path: web-default and web-bridge-2 share no network: web-default is on bridge \(docker0\), web-bridge-2 is on br_xx \(br-[0-9a-f]{12}\); packets must cross the host/m);
    expect(r.stdout).toContain('verdict: NOT met (web-default -> web-bridge-2)');
    expect(r.stdout).toMatch(/none reached br-[0-9a-f]{12} \(br_xx\): dropped between docker0 \(bridge\) and br-[0-9a-f]{12} \(br_xx\)/);
    expect(r.stdout).toMatch(/ {2}- Docker isolates bridge from br_xx: filter DOCKER-ISOLATION-STAGE-2 rule \d+ `-A DOCKER-ISOLATION-STAGE-2 -o br-[0-9a-f]{12} -j DROP` counted 2 packets/);
    const requests = frameLines(r.stdout).filter((l) => l.includes('web-default > web-bridge-2  ICMP echo request'));
    expect(requests.map((l) => l.split(' ')[1]).filter((i) => i === 'docker0')).toHaveLength(2);
  });

  it('--write keeps every hop\u2019s copy: the replay has as many frames, on A\u2019s veth, the bridge and B\u2019s veth', () => {
    const file = join(dir, 'trace.pcapng');
    const t = runCli(['trace', 'web-bridge-1', 'web-bridge-2', '-c', '2', '--json', '--write', file]);
    expect(t.status, t.stderr).toBe(0);
    const traced = JSON.parse(t.stdout) as { met: boolean; frames: number; hops: Array<{ interface: string }> };
    expect(traced.met).toBe(true);
    const s = runCli(['replay', file, '--json', '--all-copies']);
    expect(s.status, s.stderr).toBe(0);
    const replayed = s.stdout.trim().split('\n').map((l) => JSON.parse(l) as { iface: string });
    expect(replayed).toHaveLength(traced.frames);
    expect([...new Set(replayed.map((f) => f.iface))].sort()).toEqual(traced.hops.map((h) => h.interface).sort());
  });
});
