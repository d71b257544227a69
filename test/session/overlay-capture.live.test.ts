import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { CliProcess } from '../lab/cli-process.js';
import { labExec, seedLabDown, seedLabUp } from '../lab/docker-lab.js';
import { TEST_IMAGE } from '../lab/docker-lab.js';
import { TWO_HOSTS, dockerOn, socketOf, twoHostLabDown, twoHostLabUp, type TwoHostLab } from '../lab/two-host-lab.js';
import { describeLive } from '../support/live.js';

/**
 * `capture OVERLAY -H h1 -H h2` on the two-host Swarm lab (test/lab/two-host-lab.ts): the overlay's
 * traffic captured where this machine sees it (each container's eth0 in its namespace, the
 * underlay bridge and both hosts' ports on it), each echo one line with its five hops, named at
 * both ends with its VNI; a container that joins the overlay during the capture is added; the
 * file it writes is counted by tshark. And a bridge network target works as before.
 */
describeLive('capture of an overlay network across two Docker hosts', { root: true, docker: true, tools: ['tshark', 'tcpdump', 'nsenter', 'dockerd'] }, () => {
  let lab: TwoHostLab;
  const file = join(mkdtempSync(join(tmpdir(), 'bridgescope-ovcap-')), 'overlay.pcapng');
  const [h1, h2] = TWO_HOSTS.hosts;
  const hostFlags = TWO_HOSTS.hosts.flatMap((h) => ['-H', `unix://${socketOf(h.name)}`]);
  const PINGS = 3;
  const LATE = 'bs-gamma';
  let cap: CliProcess;
  let gammaIp = '';
  const underlay = [`${h1.name}-u`, TWO_HOSTS.underlay, `${h2.name}-u`];
  const ping = (to: string, count: number) => dockerOn(h1.name, ['exec', h1.container, 'ping', '-c', String(count), '-i', '0.2', '-W', '2', to]);
  const echoes = (kind: 'request' | 'reply', from: string, to: string) =>
    cap.lines.filter((l) => l.includes(` ${from} > ${to}  ICMP echo ${kind}, `));
  /** The interfaces between the brackets of a merged line, in the order seen. */
  const hopsOf = (line: string) => /\[([^\]]+), \+[^\]]+\]$/.exec(line)?.[1].split(' → ') ?? [];

  beforeAll(async () => {
    lab = await twoHostLabUp();
    cap = new CliProcess(['capture', TWO_HOSTS.overlay, ...hostFlags, '-f', 'icmp', '-w', file, '--print', '--no-tui']);
    try {
      await cap.started();
      ping(lab.ips[h2.container], PINGS);
      const to = `${h2.container}@${h2.name}`;
      await cap.until(`${PINGS} replies`, () => echoes('reply', to, `${h1.container}@${h1.name}`).length >= PINGS, 20_000);
      // A container that joins the overlay on host 2 while the capture runs.
      dockerOn(h2.name, ['run', '-d', '--name', LATE, '--label', TWO_HOSTS.label, '--network', TWO_HOSTS.overlay, TEST_IMAGE, 'sleep', '1000000']);
      gammaIp = dockerOn(h2.name, ['inspect', '-f', `{{(index .NetworkSettings.Networks "${TWO_HOSTS.overlay}").IPAddress}}`, LATE]);
      await cap.until(`${LATE} joined`, (p) => p.stderr.includes(`${LATE}@${h2.name} joined ${TWO_HOSTS.overlay}`), 20_000);
      ping(gammaIp, 2);
      await cap.until('replies from the late container', () => echoes('reply', `${LATE}@${h2.name}`, `${h1.container}@${h1.name}`).length >= 2, 20_000);
      dockerOn(h2.name, ['rm', '-f', LATE]);
      await cap.until(`${LATE} gone`, (p) => p.stderr.includes(`${LATE}@${h2.name} left`), 20_000);
      await new Promise((r) => setTimeout(r, 300));
      expect((await cap.stop('SIGINT')).code).toBe(0);
    } finally {
      cap.kill();
    }
  }, 300_000);
  afterAll(() => twoHostLabDown(), 60_000);

  it('says where it captures: the underlay of the overlay\'s VNI and each container\'s interface in its namespace', () => {
    expect(cap.stderr).toContain(`capturing on overlay ${TWO_HOSTS.overlay} (VNI ${lab.vni}) on underlay ${TWO_HOSTS.underlay}, ${h1.name}-u, ${h2.name}-u and eth0@${h1.container}, eth0@${h2.container}`);
    expect(cap.stderr).toContain(`${LATE}@${h2.name} joined ${TWO_HOSTS.overlay}: now also on eth0@${LATE}`);
  });

  it('each echo request and reply once, named at both ends with its VNI, with its hops in the container and on the underlay', () => {
    const a = `${h1.container}@${h1.name}`;
    const b = `${h2.container}@${h2.name}`;
    const requests = echoes('request', a, b);
    const replies = echoes('reply', b, a);
    expect(requests).toHaveLength(PINGS);
    expect(replies).toHaveLength(PINGS);
    expect(new Set(requests.map((l) => /seq (\d+)/.exec(l)![1])).size).toBe(PINGS);
    for (const l of requests) {
      expect(l).toContain(`(VXLAN ${lab.vni}, ${h1.ip} > ${h2.ip})`);
      const hops = hopsOf(l);
      expect([hops[0], hops.at(-1)]).toEqual([`eth0@${h1.container}`, `eth0@${h2.container}`]);
      expect([...hops].sort()).toEqual([`eth0@${h1.container}`, `eth0@${h2.container}`, ...underlay].sort());
    }
    for (const l of replies) {
      expect(l).toContain(`(VXLAN ${lab.vni}, ${h2.ip} > ${h1.ip})`);
      const hops = hopsOf(l);
      expect([hops[0], hops.at(-1)]).toEqual([`eth0@${h2.container}`, `eth0@${h1.container}`]);
      expect([...hops].sort()).toEqual([`eth0@${h1.container}`, `eth0@${h2.container}`, ...underlay].sort());
    }
  });

  it('a container that joined the overlay during the capture is captured in its namespace too, until removed', () => {
    const replies = echoes('reply', `${LATE}@${h2.name}`, `${h1.container}@${h1.name}`);
    expect(replies).toHaveLength(2);
    for (const l of replies) expect(hopsOf(l)[0]).toBe(`eth0@${LATE}`);
    expect(cap.stderr).toContain(`${LATE}@${h2.name} left ${TWO_HOSTS.overlay} or stopped: its capture on eth0@${LATE} ended`);
    expect(cap.stderr).not.toContain('overlay capture:');
  });

  it('the -w file holds every copy: tshark counts what replay --all-copies reads, and replay merges them as the live view did', () => {
    const tshark = execFileSync('tshark', ['-n', '-r', file, '-d', 'udp.port==4789,vxlan', '-Y', 'icmp.type == 8 or icmp.type == 0', '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const copies = runCli(['replay', '--all-copies', '--json', file]).stdout.trim().split('\n').map((l) => JSON.parse(l) as { icmp?: { type: number } });
    const echoCopies = copies.filter((r) => r.icmp?.type === 8 || r.icmp?.type === 0);
    expect(tshark.trim().split('\n')).toHaveLength(echoCopies.length);
    const merged = runCli(['replay', '--no-tui', file]).stdout.split('\n').filter((l) => l.includes('ICMP echo'));
    expect(merged).toHaveLength(cap.lines.filter((l) => l.includes('ICMP echo')).length);
    // Every copy is a hop of one merged echo; each answered echo was seen at both containers and
    // on the three underlay interfaces (a first request to a MAC the overlay's bridge has not
    // learned is flooded to the other container too).
    expect(merged.reduce((n, l) => n + Math.max(1, hopsOf(l).length), 0)).toBe(echoCopies.length);
    expect(merged.filter((l) => l.includes(`> ${h2.container}@`) || l.includes(`${h2.container}@${h2.name} >`)).every((l) => hopsOf(l).length === 5)).toBe(true);
  });

  it('an overlay no -H daemon has: one line, exit 2', () => {
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = `unix://${socketOf(h1.name)}`;
    let r;
    try {
      r = runCli(['capture', TWO_HOSTS.overlay, '--no-tui', '-c', '1']);
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
    }
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`network ${TWO_HOSTS.overlay} is an overlay network: name the Docker hosts it spans with -H or --context`);
  });
});

describeLive('capture of a bridge network, as before', { root: true, docker: true, tools: ['nsenter'] }, () => {
  beforeAll(() => seedLabUp(), 120_000);
  afterAll(() => seedLabDown(), 60_000);

  it('captures the network\'s bridge: the echo named by container', async () => {
    const cap = new CliProcess(['capture', 'br_xx', '-f', 'icmp', '-c', '2', '--no-tui']);
    try {
      await cap.started();
      labExec('web-bridge-1', ['ping', '-c', '1', '-W', '2', '172.30.0.11']);
      expect((await cap.exited).code).toBe(0);
    } finally {
      cap.kill();
    }
    expect(cap.stderr).toMatch(/capturing on network br_xx on br-[0-9a-f]{12}/);
    expect(cap.lines).toHaveLength(2);
    expect(cap.lines[0]).toContain('web-bridge-1 > web-bridge-2  ICMP echo request');
    expect(cap.lines[1]).toContain('web-bridge-2 > web-bridge-1  ICMP echo reply');
  }, 60_000);
});
