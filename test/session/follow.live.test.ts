import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { CliProcess, tsharkTimes } from '../lab/cli-process.js';
import { labExec, runLabContainer } from '../lab/docker-lab.js';
import { describeLive } from '../support/live.js';
import { seedLabSuite } from '../lab/seed-lab-suite.js';

/** Echo requests a text capture printed from `src` to `dst` (names, shown with any namespace sharers). */
function requests(p: CliProcess, src: string, dst: string): number {
  const line = new RegExp(`  ${src}( \\(\\+[^)]*\\))? > ${dst}( \\(\\+[^)]*\\))?  ICMP echo request`);
  return p.lines.filter((l) => line.test(l)).length;
}

/** How often `re` occurs on stderr. */
const count = (p: CliProcess, re: RegExp) => (p.stderr.match(new RegExp(re.source, 'g')) ?? []).length;

const docker = (...args: string[]) => execFileSync('docker', args, { stdio: 'ignore', timeout: 60_000 });

/** tshark's interface name of each frame in a file. */
function frameInterfaces(file: string): string[] {
  const out = execFileSync('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.interface_name'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return out.split('\n').filter(Boolean);
}

describeLive('captures that follow containers', { root: true, docker: true, tools: ['tshark'] }, () => {
  const suite = seedLabSuite('bs-follow-');
  const cli = suite.cli;

  it('follows a container and its sidecar through restart, disconnect/connect, stop/start, and ends with exit 1 when it is removed', async () => {
    const file = suite.path('db.pcapng');
    await runLabContainer('fol-db', { network: 'br_xx', ipv4: '172.30.0.30' });
    await runLabContainer('fol-side', { networkMode: 'container:fol-db' });
    const db = cli(['capture', 'fol-db', '-f', 'icmp', '-w', file, '--print']);
    const side = cli(['capture', 'fol-side', '-f', 'icmp']);
    await db.started();
    await side.started();
    const first = /capturing on fol-db.* via (veth\w+)/.exec(db.stderr)?.[1];
    expect(first).toBeDefined();
    expect(side.stderr).toContain(`via ${first}`);
    const ping = () => labExec('web-bridge-1', ['ping', '-c', '2', '-W', '2', '172.30.0.30']);
    ping();
    await db.until('2 requests', (p) => requests(p, 'web-bridge-1', 'fol-db') >= 2);

    // Restart: one notice, the new veth opened, and the frames after it captured.
    docker('restart', '-t', '0', 'fol-db');
    await db.until('restart notice', (p) => /fol-db restarted: now on veth\w+/.test(p.stderr));
    await side.until('sidecar restart notice', (p) => /fol-side restarted: now on veth\w+/.test(p.stderr));
    const second = /fol-db restarted: now on (veth\w+)/.exec(db.stderr)![1];
    expect(second).not.toBe(first);
    expect(side.stderr).toContain(`fol-side restarted: now on ${second}`);
    ping();
    await db.until('4 requests', (p) => requests(p, 'web-bridge-1', 'fol-db') >= 4);
    await side.until('sidecar: 2 requests after the restart', (p) => p.lines.filter((l) => l.includes('ICMP echo request')).length >= 4);

    // Disconnect, then connect again: one notice each, frames after the connect captured.
    docker('network', 'disconnect', 'br_xx', 'fol-db');
    await db.until('disconnect notice', (p) => /fol-db left br_xx: waiting for it to join a network/.test(p.stderr));
    docker('network', 'connect', '--ip', '172.30.0.30', 'br_xx', 'fol-db');
    await db.until('connect notice', (p) => /fol-db joined br_xx: now on veth\w+/.test(p.stderr));
    ping();
    await db.until('6 requests', (p) => requests(p, 'web-bridge-1', 'fol-db') >= 6);

    // A second network connected to a running target adds its veth.
    docker('network', 'connect', 'bridge', 'fol-db');
    await db.until('second network notice', (p) => /fol-db joined bridge: now also on veth\w+/.test(p.stderr));
    const dockerIp = execFileSync('docker', ['inspect', '-f', '{{.NetworkSettings.Networks.bridge.IPAddress}}', 'fol-db'], { encoding: 'utf8' }).trim();
    labExec('web-default', ['ping', '-c', '2', '-W', '2', dockerIp]);
    await db.until('2 requests on docker0', (p) => requests(p, 'web-default', 'fol-db') >= 2);

    // Stop, wait past the restart grace, start: two events, two notices.
    docker('stop', '-t', '0', 'fol-db');
    await db.until('stopped notice', (p) => /fol-db stopped: waiting for it to start again/.test(p.stderr), 20_000);
    docker('start', 'fol-db');
    await db.until('started notice', (p) => /fol-db started again: now on veth\w+, veth\w+/.test(p.stderr));
    ping();
    await db.until('8 requests', (p) => requests(p, 'web-bridge-1', 'fol-db') >= 8);

    // Removed: its part ends; nothing is left, so the capture ends by itself with exit 1.
    docker('rm', '-f', 'fol-side');
    docker('rm', '-f', 'fol-db');
    const end = await Promise.race([db.exited, new Promise((r) => setTimeout(() => r('still running'), 15_000))]);
    expect(end).toEqual({ code: 1, signal: null });
    expect(await Promise.race([side.exited, new Promise((r) => setTimeout(() => r('still running'), 15_000))])).toEqual({ code: 1, signal: null });

    for (const [re, n] of [
      [/restarted: /, 1],
      [/left br_xx/, 1],
      [/joined br_xx/, 1],
      [/joined bridge/, 1],
      [/stopped: waiting/, 1],
      [/started again/, 1],
      [/fol-db removed: its capture ended; nothing left to capture/, 1],
      [/The interface disappeared/, 0],
    ] as const) {
      expect(count(db, re), `${re} in\n${db.stderr}`).toBe(n);
    }
    expect(count(side, /fol-side removed: its capture ended; nothing left to capture/)).toBe(1);
    const frames = Number(/^(\d+) frames captured/m.exec(db.stderr)?.[1]);
    expect(frames).toBe(db.lines.length);
    // The file holds every frame, each on its own interface block: the veths opened mid-capture too.
    expect(tsharkTimes(file)).toHaveLength(frames);
    const ifaces = new Set(frameInterfaces(file));
    expect(ifaces.size).toBeGreaterThanOrEqual(5);
    expect(ifaces).toContain(first);
    expect(ifaces).toContain(second);
  });

  it('waits for a container that does not run yet, says so once, and captures it from its start', async () => {
    await runLabContainer('fol-late', { network: 'br_xx', ipv4: '172.30.0.31', start: false });
    const cap = cli(['capture', 'fol-late', '-f', 'icmp']);
    await cap.started();
    expect(cap.stderr).toContain('waiting for fol-late to start');
    docker('start', 'fol-late');
    await cap.until('started notice', (p) => /fol-late started: now on veth\w+/.test(p.stderr));
    labExec('fol-late', ['ping', '-c', '2', '-W', '2', '172.30.0.11']);
    await cap.until('2 requests', (p) => requests(p, 'fol-late', 'web-bridge-2') >= 2);
    expect(await cap.stop()).toEqual({ code: 0, signal: null });
    expect(count(cap, /waiting for fol-late/)).toBe(1);
    expect(count(cap, /fol-late started/)).toBe(1);
    expect(requests(cap, 'fol-late', 'web-bridge-2')).toBe(2);
  });
});

describeLive('an interface target that disappears', { root: true, tools: ['tshark', 'ip', 'ping'] }, () => {
  const ns = 'bstest-fol-ns';
  const host = 'bsfol-h';
  let dir: string;
  const running: CliProcess[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bs-follow-if-'));
    for (const cmd of [['netns', 'del', ns], ['link', 'del', host]]) {
      try {
        execFileSync('ip', cmd, { stdio: 'ignore' });
      } catch {
        // not there: nothing left over
      }
    }
    for (const cmd of [
      ['netns', 'add', ns],
      ['link', 'add', host, 'type', 'veth', 'peer', 'name', 'bsfol-p', 'netns', ns],
      ['addr', 'add', '10.207.0.1/24', 'dev', host],
      ['link', 'set', host, 'up'],
      ['-n', ns, 'addr', 'add', '10.207.0.2/24', 'dev', 'bsfol-p'],
      ['-n', ns, 'link', 'set', 'bsfol-p', 'up'],
    ]) {
      execFileSync('ip', cmd);
    }
  });
  afterEach(() => {
    for (const p of running.splice(0)) p.kill();
  });
  afterAll(async () => {
    execFileSync('ip', ['netns', 'del', ns]);
    await rm(dir, { recursive: true, force: true });
  });

  it('ends like tcpdump: one message, the counters, a file tshark reads, exit 1', async () => {
    const file = join(dir, 'gone.pcapng');
    const cap = new CliProcess(['capture', host, '-f', 'icmp', '-w', file, '--print', '--no-names']);
    running.push(cap);
    await cap.started();
    execFileSync('ip', ['netns', 'exec', ns, 'ping', '-c', '2', '-i', '0.2', '10.207.0.1'], { stdio: 'ignore' });
    await cap.until('4 frames', (p) => p.lines.length >= 4);
    execFileSync('ip', ['link', 'del', host]);
    const end = await Promise.race([cap.exited, new Promise((r) => setTimeout(() => r('still running'), 10_000))]);
    expect(end).toEqual({ code: 1, signal: null });

    const lines = cap.stderr.trim().split('\n');
    expect(lines.filter((l) => l.includes(host) && !l.includes('received by filter') && !l.includes('capturing on'))).toEqual([
      `bridgescope: capture on ${host} ended: The interface disappeared; nothing left to capture`,
    ]);
    const frames = Number(/^(\d+) frames captured \(written to /m.exec(cap.stderr)?.[1]);
    expect(frames).toBe(cap.lines.length);
    expect(frames).toBeGreaterThanOrEqual(4);
    expect(cap.stderr).toMatch(new RegExp(`^${host}: \\d+ received by filter, 0 dropped by kernel`, 'm'));
    expect(tsharkTimes(file)).toHaveLength(frames);
  });
});
