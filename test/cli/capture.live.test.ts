import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createNetnsLab, type NetnsLab } from '../../src/bench/netns-lab.js';
import { CliProcess, replayTimes, tsharkTimes } from '../lab/cli-process.js';
import { labExec, runLabContainer, seedLabDown } from '../lab/docker-lab.js';
import { flushContainerNeighbours } from '../lab/neighbours.js';
import { SocketProxy } from '../lab/socket-proxy.js';
import { describeLive } from '../support/live.js';
import { seedLabSuite } from '../lab/seed-lab-suite.js';
import { runCli } from './run-cli.js';

const SPEC = { nsPrefix: 'bstest-cli-', ifPrefix: 'bscli-', subnet: '10.205.0' };

/** The finding of an ARP request whose reply a veth does not see (unicast to another port). */
const UNANSWERED_ARP = /^ {2}! web-bridge-1 asked who-has web-bridge-2: no reply/;

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

  it('with -w and --print, prints ARP then ICMP, ends on SIGINT with tcpdump-like counters, and writes a pcapng tshark reads', async () => {
    const file = join(dir, 'out.pcapng');
    lab.flushNeighbours();
    // The lab's links came up moments ago: the kernel's IGMP reports for them may still be on the
    // bridge when a capture opens this soon, and this test is about the ping's ARP and ICMP.
    const cap = cli(['capture', lab.bridge, '-f', 'arp or icmp', '-w', file, '--print', '--no-names']);
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

  it('-w out.pcap (no --print) writes classic pcap and prints only the counters, as tcpdump -w; ends cleanly on SIGTERM', async () => {
    const file = join(dir, 'out.pcap');
    const cap = cli(['capture', lab.bridge, '-w', file, '--no-names', '-f', 'icmp']);
    await cap.started();
    ping(2);
    // Four echo frames of 98 bytes after the 24-byte header, each record with its 16-byte header.
    await cap.until('4 frames in the file', () => statSync(file).size >= 24 + 4 * (16 + 98));
    expect(await cap.stop('SIGTERM')).toEqual({ code: 0, signal: null });

    expect(cap.stdout).toBe('');
    const counters = closingCounters(cap.stderr);
    expect(counters.frames).toBeGreaterThanOrEqual(4);
    // The first word of a classic pcap: micro- or nanosecond magic, in our byte order.
    expect([0xa1b2c3d4, 0xa1b23c4d]).toContain(readFileSync(file).readUInt32LE(0));
    const tshark = tsharkTimes(file);
    expect(tshark).toHaveLength(counters.frames);
    expect(replayTimes(file)).toEqual(tshark);
  });

  it('-c 3 -w stops by itself after three frames, the file holds exactly three, and no line is printed', async () => {
    const file = join(dir, 'three.pcapng');
    const pinger = spawn('ip', ['netns', 'exec', lab.nsA, 'ping', '-c', '40', '-i', '0.05', lab.ipB], { stdio: 'ignore' });
    try {
      const cap = cli(['capture', lab.bridge, '-c', '3', '-w', file, '--no-names']);
      const end = await Promise.race([cap.exited, new Promise((r) => setTimeout(() => r('timeout'), 10_000))]);
      expect(end).toEqual({ code: 0, signal: null });
      expect(cap.stdout).toBe('');
      expect(closingCounters(cap.stderr).frames).toBe(3);
      expect(tsharkTimes(file)).toHaveLength(3);
    } finally {
      pinger.kill();
    }
  });

  it('-w with --json but without --print is one usage line, exit 2 (NDJSON is a format of printed lines)', () => {
    const r = runCli(['capture', lab.bridge, '-w', join(dir, 'unused.pcapng'), '--json', '--no-names']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining('--json formats the printed lines: with -w FILE, add --print')]);
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
    const cap = cli(['capture', lab.bridge, '-w', file, '--print', '--no-names', '-f', 'icmp']);
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

interface FrameLine {
  src: string;
  dst: string;
  summary: string;
}

/** `12:00:01.000123  SRC > DST  SUMMARY` split up; only the ARP and ICMP lines. */
function arpIcmp(lines: string[]): FrameLine[] {
  return lines
    .map((l) => /^\S+ {2}(.+?) > (.+?) {2}(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && /^(ARP|ICMP) /.test(m[3]))
    .map((m) => ({ src: m[1], dst: m[2], summary: m[3] }));
}

/** Every ARP/ICMP line names both ends from `names`, and every IPv4 address in its summary too. */
function expectAllNamed(frames: FrameLine[], names: string[]): void {
  const ends = new Set([...names, 'broadcast']);
  for (const f of frames) {
    expect(ends, `${f.src} > ${f.dst}  ${f.summary}`).toContain(f.src);
    expect(ends, `${f.src} > ${f.dst}  ${f.summary}`).toContain(f.dst);
    if (f.summary.startsWith('ARP')) {
      for (const ip of f.summary.match(/\d+\.\d+\.\d+\.\d+( \(\S+\))?/g) ?? []) expect(ip, f.summary).toMatch(/ \(\S+\)$/);
    }
  }
}

function echoCount(frames: FrameLine[], src: string, dst: string, kind: 'request' | 'reply'): number {
  return frames.filter((f) => f.src === src && f.dst === dst && f.summary.startsWith(`ICMP echo ${kind}`)).length;
}

describeLive('bridgescope capture on the seed lab, named by container', { root: true, docker: true, tools: ['tshark', 'nsenter'] }, () => {
  const suite = seedLabSuite('bs-cli-seed-');
  const cli = suite.cli;

  it('capture web-bridge-1 (its veth) names every ARP and ICMP frame of the seed ping', async () => {
    flushContainerNeighbours('web-bridge-1', 'web-bridge-2');
    const cap = cli(['capture', 'web-bridge-1', '-f', 'arp or icmp']);
    await cap.started();
    expect(cap.stderr).toMatch(/capturing on web-bridge-1 via veth\w+/);
    labExec('web-bridge-1', ['ping', '-c', '3', '172.30.0.11']);
    await cap.until('6 echo lines', (p) => arpIcmp(p.lines).filter((f) => f.summary.startsWith('ICMP echo')).length >= 6);
    expect(await cap.stop()).toEqual({ code: 0, signal: null });

    const frames = arpIcmp(cap.lines);
    expectAllNamed(frames, ['web-bridge-1', 'web-bridge-2']);
    expect(frames[0]).toEqual({ src: 'web-bridge-1', dst: 'broadcast', summary: 'ARP who-has 172.30.0.11 (web-bridge-2) tell 172.30.0.10 (web-bridge-1)' });
    expect(frames[1]).toMatchObject({ src: 'web-bridge-2', dst: 'web-bridge-1' });
    expect(frames[1].summary).toMatch(/^ARP reply 172\.30\.0\.11 \(web-bridge-2\) is-at /);
    expect(echoCount(frames, 'web-bridge-1', 'web-bridge-2', 'request')).toBe(3);
    expect(echoCount(frames, 'web-bridge-2', 'web-bridge-1', 'reply')).toBe(3);
  });

  it('names a container started during the capture from its first frames on', async () => {
    // Only cli-late's frames: the lab's own containers may refresh their neighbour entries meanwhile.
    const cap = cli(['capture', 'br_xx', '-f', '(arp or icmp) and host 172.30.0.20']);
    await cap.started();
    await runLabContainer('cli-late', { network: 'br_xx', ipv4: '172.30.0.20' });
    labExec('cli-late', ['ping', '-c', '2', '172.30.0.11']);
    await cap.until('4 echo lines', (p) => arpIcmp(p.lines).filter((f) => f.summary.startsWith('ICMP echo')).length >= 4);
    expect(await cap.stop()).toEqual({ code: 0, signal: null });

    const frames = arpIcmp(cap.lines);
    expectAllNamed(frames, ['cli-late', 'web-bridge-2']);
    expect(frames.some((f) => f.summary === 'ARP who-has 172.30.0.11 (web-bridge-2) tell 172.30.0.20 (cli-late)')).toBe(true);
    expect(echoCount(frames, 'cli-late', 'web-bridge-2', 'request')).toBe(2);
    expect(echoCount(frames, 'web-bridge-2', 'cli-late', 'reply')).toBe(2);
  });

  it('keeps every frame while Docker is unreachable, says so once, and names again when it is back', async () => {
    // The CLI talks to Docker through a relay we can cut; see the report for why not a dockerd restart.
    const proxy = new SocketProxy(suite.path('docker.sock'));
    await proxy.start();
    try {
      const cap = cli(['capture', 'br_xx', '-f', 'icmp'], { DOCKER_HOST: `unix://${proxy.path}` });
      await cap.started();
      const pings = 30;
      const pinger = spawn('docker', ['exec', 'web-bridge-1', 'ping', '-c', String(pings), '-i', '0.1', '172.30.0.11'], { stdio: ['ignore', 'pipe', 'ignore'] });
      let pingOut = '';
      pinger.stdout.on('data', (d: Buffer) => (pingOut += d.toString()));
      const pingDone = new Promise((r) => pinger.on('exit', r));

      await cap.until('first echo frames', (p) => arpIcmp(p.lines).length >= 4);
      await proxy.stop();
      await cap.until('outage notice', (p) => /frames keep addresses until Docker is back/.test(p.stderr));
      await runLabContainer('cli-outage', { network: 'br_xx', ipv4: '172.30.0.21' });
      await new Promise((r) => setTimeout(r, 500));
      await proxy.start();
      await cap.until('reconnect notice', (p) => /Docker is back; naming frames again/.test(p.stderr), 20_000);
      labExec('cli-outage', ['ping', '-c', '2', '172.30.0.11']);
      await pingDone;
      await cap.until('all echo frames', (p) => arpIcmp(p.lines).length >= 2 * pings + 4);
      expect(await cap.stop()).toEqual({ code: 0, signal: null });

      expect(pingOut).toContain(`${pings} packets transmitted, ${pings} packets received`);
      const frames = arpIcmp(cap.lines);
      // Nothing lost: every echo of the ping that ran across the outage is on the wire and printed.
      expect(echoCount(frames, 'web-bridge-1', 'web-bridge-2', 'request')).toBe(pings);
      expect(echoCount(frames, 'web-bridge-2', 'web-bridge-1', 'reply')).toBe(pings);
      // The container started while Docker was unreachable is named once it is back.
      expect(echoCount(frames, 'cli-outage', 'web-bridge-2', 'request')).toBe(2);
      expect(echoCount(frames, 'web-bridge-2', 'cli-outage', 'reply')).toBe(2);
      expectAllNamed(frames, ['web-bridge-1', 'web-bridge-2', 'cli-outage']);
      expect(cap.stderr.match(/frames keep addresses/g)).toHaveLength(1);
      expect(closingCounters(cap.stderr).dropped).toBe(0);
    } finally {
      await proxy.stop();
    }
  });

  it('waits for a captured container that stops, and ends with exit 1 once it is removed, every frame counted, printed and written', async () => {
    const c = await runLabContainer('cli-gone', { network: 'br_xx', ipv4: '172.30.0.22' });
    const file = suite.path('gone.pcapng');
    const cap = cli(['capture', 'cli-gone', '-w', file, '--print']);
    await cap.started();
    expect(cap.stderr).toMatch(/capturing on cli-gone via veth\w+/);
    // A broadcast whose reply cli-gone's veth never sees: one frame, then one finding line
    // (the two CI failures: the test took that `! ...` line for a frame the counter had missed).
    flushContainerNeighbours('web-bridge-1', 'web-bridge-2');
    labExec('web-bridge-1', ['ping', '-c', '1', '172.30.0.11']);
    await cap.until('the ARP broadcast', (p) => arpIcmp(p.lines).some((f) => f.summary.startsWith('ARP who-has 172.30.0.11 (web-bridge-2) tell 172.30.0.10')));
    // The request is unanswered once a frame a second later moves the analysis clock past it.
    await new Promise((r) => setTimeout(r, 1_200));
    // Echoes as fast as replies come, so frames are in flight as the veth vanishes with the container.
    execFileSync('docker', ['exec', '-d', 'cli-gone', 'ping', '-A', '172.30.0.11']);
    await cap.until('the unanswered ARP finding', (p) => p.findings.some((l) => UNANSWERED_ARP.test(l)));
    await cap.until('echo lines', (p) => arpIcmp(p.lines).filter((f) => f.summary.startsWith('ICMP echo')).length >= 20);
    await c.kill();
    await cap.until('stopped notice', (p) => p.stderr.includes('cli-gone stopped: waiting for it to start again'), 20_000);
    expect(cap.child.exitCode).toBeNull();
    await c.remove();
    const end = await Promise.race([cap.exited, new Promise((r) => setTimeout(() => r('still running'), 10_000))]);
    expect(end).toEqual({ code: 1, signal: null });
    expect(cap.stderr).toContain('cli-gone removed: its capture ended; nothing left to capture');
    expect(cap.stderr).not.toContain('The interface disappeared');
    // Nothing captured is lost: the counter, the printed frames (not the finding lines) and the
    // file agree to the frame, and the kernel put no frame in the ring that the capture did not deliver.
    const counters = closingCounters(cap.stderr);
    expect(counters.frames).toBe(cap.lines.length);
    expect(counters.received - counters.dropped).toBe(counters.frames);
    expect(tsharkTimes(file)).toHaveLength(cap.lines.length);
  });

  it('captures without names, with one notice, when Docker is not reachable at all', async () => {
    const bridge = /on (br-[0-9a-f]{12})/.exec(execFileSync('docker', ['network', 'inspect', '-f', 'on br-{{.Id}}', 'br_xx'], { encoding: 'utf8' }))![1];
    const cap = cli(['capture', bridge, '-f', 'icmp'], { DOCKER_HOST: `unix://${suite.path('no-docker.sock')}` });
    await cap.started();
    labExec('web-bridge-1', ['ping', '-c', '2', '172.30.0.11']);
    await cap.until('4 echo lines', (p) => arpIcmp(p.lines).length >= 4);
    expect(await cap.stop()).toEqual({ code: 0, signal: null });
    expect(cap.stderr.match(/frames keep addresses until Docker is back/g)).toHaveLength(1);
    const frames = arpIcmp(cap.lines);
    expect(echoCount(frames, '172.30.0.10', '172.30.0.11', 'request')).toBe(2);
    expect(echoCount(frames, '172.30.0.11', '172.30.0.10', 'reply')).toBe(2);
  });

  it('capture br_xx -w names the seed ping, and the pcapng replays with the same names after lab down', async () => {
    const file = suite.path('seed.pcapng');
    flushContainerNeighbours('web-bridge-1', 'web-bridge-2');
    const cap = cli(['capture', 'br_xx', '-w', file, '--print']);
    await cap.started();
    expect(cap.stderr).toMatch(/capturing on network br_xx on br-[0-9a-f]{12}/);
    labExec('web-bridge-1', ['ping', '-c', '3', '172.30.0.11']);
    await cap.until('6 echo lines', (p) => arpIcmp(p.lines).filter((f) => f.summary.startsWith('ICMP echo')).length >= 6);
    expect(await cap.stop()).toEqual({ code: 0, signal: null });

    const frames = arpIcmp(cap.lines);
    expectAllNamed(frames, ['web-bridge-1', 'web-bridge-2']);
    expect(frames[0].summary).toBe('ARP who-has 172.30.0.11 (web-bridge-2) tell 172.30.0.10 (web-bridge-1)');
    expect(echoCount(frames, 'web-bridge-1', 'web-bridge-2', 'request')).toBe(3);
    expect(echoCount(frames, 'web-bridge-2', 'web-bridge-1', 'reply')).toBe(3);
    expect(tsharkTimes(file)).toHaveLength(cap.lines.length);

    await seedLabDown();
    const replay = runCli(['replay', file, '--no-tui']);
    expect(replay.status).toBe(0);
    expect(replay.stdout.split('\n').filter(Boolean)).toEqual(cap.lines);
  });
});
