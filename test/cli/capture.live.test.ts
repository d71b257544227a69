import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createNetnsLab, type NetnsLab } from '../../src/bench/netns-lab.js';
import { CliProcess, replayTimes, tsharkTimes } from '../lab/cli-process.js';
import { describeLive } from '../support/live.js';
import { runCli } from './run-cli.js';

const SPEC = { nsPrefix: 'bstest-cli-', ifPrefix: 'bscli-', subnet: '10.205.0' };

/** "N frames captured" and the per-interface counters from the closing lines on stderr. */
function closingCounters(stderr: string): { frames: number; received: number; dropped: number } {
  const frames = /^(\d+) frames captured/m.exec(stderr);
  const counters = /: (\d+) received by filter, (\d+) dropped by kernel, \d+ dropped by interface$/m.exec(stderr);
  if (!frames || !counters) throw new Error(`no closing counters in:\n${stderr}`);
  return { frames: Number(frames[1]), received: Number(counters[1]), dropped: Number(counters[2]) };
}

describeLive('bridgescope capture on a lab bridge', { root: true, tools: ['tshark', 'ping', 'tcpdump'] }, () => {
  let lab: NetnsLab;
  let dir: string;
  const running: CliProcess[] = [];
  const cli = (args: string[]) => {
    const p = new CliProcess(args);
    running.push(p);
    return p;
  };
  const ping = (count: number, interval = '0.2') =>
    lab.exec(lab.nsA, ['ping', '-c', String(count), '-i', interval, '-W', '1', lab.ipB]);

  beforeAll(async () => {
    lab = createNetnsLab(SPEC);
    dir = await mkdtemp(join(tmpdir(), 'bs-cli-cap-'));
  });
  afterEach(() => {
    for (const p of running.splice(0)) p.kill();
  });
  afterAll(async () => {
    lab?.teardown();
    await rm(dir, { recursive: true, force: true });
  });

  it('prints ARP then ICMP, ends on SIGINT with tcpdump-like counters, and writes a pcapng tshark reads', async () => {
    const file = join(dir, 'out.pcapng');
    lab.flushNeighbours();
    const cap = cli(['capture', lab.bridge, '-w', file, '--no-names']);
    await cap.started();
    ping(3);
    await cap.until('8 frames', (p) => p.lines.length >= 8);
    expect(await cap.stop('SIGINT')).toEqual({ code: 0, signal: null });

    const lines = cap.lines;
    expect(lines[0]).toMatch(new RegExp(`ARP who-has ${lab.ipB} tell ${lab.ipA}$`));
    expect(lines[1]).toMatch(new RegExp(`ARP reply ${lab.ipB} is-at `));
    const icmp = lines.filter((l) => l.includes('ICMP'));
    expect(icmp.slice(0, 6).map((l) => /ICMP (echo \w+), id \d+, seq (\d+)/.exec(l)?.slice(1).join(' '))).toEqual([
      'echo request 1', 'echo reply 1', 'echo request 2', 'echo reply 2', 'echo request 3', 'echo reply 3',
    ]);
    expect(lines.findIndex((l) => l.includes('ICMP'))).toBeGreaterThan(1);

    const counters = closingCounters(cap.stderr);
    expect(counters.frames).toBe(lines.length);
    expect(counters.received).toBeGreaterThanOrEqual(counters.frames);
    expect(counters.dropped).toBe(0);
    expect(cap.stderr).toContain(`(written to ${file})`);

    const tshark = tsharkTimes(file);
    expect(tshark).toHaveLength(lines.length);
    expect(replayTimes(file)).toEqual(tshark);
    expect(readFileSync(file).readUInt32LE(0)).toBe(0x0a0d0d0a); // pcapng section header
  });

  it('writes classic pcap for -w out.pcap and ends cleanly on SIGTERM', async () => {
    const file = join(dir, 'out.pcap');
    const cap = cli(['capture', lab.bridge, '-w', file, '--no-names', '-f', 'icmp']);
    await cap.started();
    ping(2);
    await cap.until('4 frames', (p) => p.lines.length >= 4);
    expect(await cap.stop('SIGTERM')).toEqual({ code: 0, signal: null });

    expect(cap.lines.every((l) => l.includes('ICMP echo'))).toBe(true);
    const counters = closingCounters(cap.stderr);
    expect(counters.frames).toBe(cap.lines.length);
    // The first word of a classic pcap: micro- or nanosecond magic, in our byte order.
    expect([0xa1b2c3d4, 0xa1b23c4d]).toContain(readFileSync(file).readUInt32LE(0));
    const tshark = tsharkTimes(file);
    expect(tshark).toHaveLength(counters.frames);
    expect(replayTimes(file)).toEqual(tshark);
  });

  it('-c 3 stops by itself after three frames and the file holds exactly three', async () => {
    const file = join(dir, 'three.pcapng');
    const pinger = spawn('ip', ['netns', 'exec', lab.nsA, 'ping', '-c', '40', '-i', '0.05', lab.ipB], { stdio: 'ignore' });
    try {
      const cap = cli(['capture', lab.bridge, '-c', '3', '-w', file, '--no-names']);
      const end = await Promise.race([cap.exited, new Promise((r) => setTimeout(() => r('timeout'), 10_000))]);
      expect(end).toEqual({ code: 0, signal: null });
      expect(cap.lines).toHaveLength(3);
      expect(closingCounters(cap.stderr).frames).toBe(3);
      expect(tsharkTimes(file)).toHaveLength(3);
    } finally {
      pinger.kill();
    }
  });

  it('--duration 2s stops after about two seconds', async () => {
    const cap = cli(['capture', lab.bridge, '--duration', '2s', '--no-names']);
    await cap.started();
    const t0 = Date.now();
    expect(await cap.exited).toEqual({ code: 0, signal: null });
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(1_700);
    expect(took).toBeLessThan(4_000);
    expect(closingCounters(cap.stderr).dropped).toBe(0);
  });

  it('a bad BPF filter is one line naming libpcap’s message, exit 2', () => {
    const filter = 'icmp and and';
    // libpcap's own wording, as tcpdump reports it for the same expression.
    const td = spawnSync('tcpdump', ['-d', filter], { encoding: 'utf8' });
    const libpcap = /can't parse filter expression: (.+)$/m.exec(td.stderr)?.[1];
    expect(libpcap).toBeTruthy();
    const r = runCli(['capture', lab.bridge, '-f', filter, '--no-names']);
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(filter);
    expect(lines[0]).toContain(libpcap!);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an unknown target is one line with close matches, exit 2, and the process does not linger', () => {
    for (const extra of [[], ['--no-names']]) {
      const t0 = Date.now();
      const r = runCli(['capture', `${SPEC.ifPrefix}bx`, ...extra]);
      expect(r.status).toBe(2);
      expect(Date.now() - t0).toBeLessThan(10_000);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/bscli-bx is not a container, Docker network or interface; did you mean .*bscli-br/);
    }
  });

  it('a kill -9 after some frames leaves a file tshark reads whole (flushed per batch)', async () => {
    const file = join(dir, 'killed.pcapng');
    const cap = cli(['capture', lab.bridge, '-w', file, '--no-names', '-f', 'icmp']);
    await cap.started();
    ping(3);
    await cap.until('6 frames', (p) => p.lines.length >= 6);
    const printed = cap.lines.length;
    expect(await cap.stop('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    // tshark fails (non-zero, "cut short") on a torn record; every printed frame was written first.
    const out = execFileSync('tshark', ['-r', file, '-T', 'fields', '-e', 'icmp.type'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const types = out.split('\n').filter(Boolean);
    expect(types.length).toBeGreaterThanOrEqual(printed);
    expect(types.slice(0, 6)).toEqual(['8', '0', '8', '0', '8', '0']);
  });
});
