import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { CliProcess } from '../lab/cli-process.js';
import { killSshd, sshLabDown, sshLabUp, type SshLab } from '../lab/ssh-lab.js';
import { TWO_HOSTS, dockerOn, socketOf, twoHostLabDown, twoHostLabUp, type TwoHostLab } from '../lab/two-host-lab.js';
import { describeLive } from '../support/live.js';

/**
 * Remote capture over ssh against real sshds (test/lab/ssh-lab.ts), one in each host namespace of
 * the two-host Swarm lab: the containers on both hosts and both hosts' underlay ports, captured
 * there by tcpdump (no bridgescope on the remotes), merged here into one timeline in which each
 * echo crossing the overlay is one frame with its four hops, host by host.
 */
describeLive('remote capture over ssh, two hosts merged', { root: true, docker: true, tools: ['nsenter', 'dockerd', 'tcpdump', 'ssh', 'ssh-keygen', '/usr/sbin/sshd'] }, () => {
  let lab: TwoHostLab;
  let ssh: SshLab;
  const [h1, h2] = TWO_HOSTS.hosts;
  const file = join(mkdtempSync(join(tmpdir(), 'bridgescope-remote-')), 'two-hosts.pcapng');
  const hops = `${h1.name}:${h1.container} → ${h1.name}:eth0 → ${h2.name}:eth0 → ${h2.name}:${h2.container}`;
  const back = `${h2.name}:${h2.container} → ${h2.name}:eth0 → ${h1.name}:eth0 → ${h1.name}:${h1.container}`;
  let cap: CliProcess;

  const capture = (extra: string[]) =>
    new CliProcess(['capture', '--no-tui', '--no-names', '--ssh-config', ssh.config, '-f', 'icmp or udp port 4789',
      `${h1.name}:${h1.container}`, `${h2.name}:${h2.container}`, `${h1.name}:eth0`, `${h2.name}:eth0`, ...extra]);
  const ping = (count: number) => spawn('docker', ['-H', `unix://${socketOf(h1.name)}`, 'exec', h1.container, 'ping', '-c', String(count), '-i', '0.2', '-W', '1', lab.ips[h2.container]], { stdio: 'ignore' });

  beforeAll(async () => {
    lab = await twoHostLabUp();
    ssh = await sshLabUp();
    cap = capture(['-w', file, '--print']);
    await cap.started();
    // tcpdump on the remotes starts a moment after ssh connects: ping until both ends show frames.
    const pinger = ping(40);
    await cap.until('echoes seen on all four hops', (p) => p.lines.filter((l) => l.includes(hops)).length >= 4, 30_000);
    pinger.kill();
    await new Promise((r) => setTimeout(r, 500));
    await cap.stop('SIGINT');
  }, 240_000);
  afterAll(async () => {
    cap?.kill();
    sshLabDown(ssh);
    await twoHostLabDown();
  }, 90_000);

  it('one timeline: each echo once, with its hops on both hosts in the order the frame crossed them', () => {
    const echoes = cap.lines.filter((l) => l.includes('ICMP echo'));
    const requests = echoes.filter((l) => l.includes('echo request'));
    const replies = echoes.filter((l) => l.includes('echo reply'));
    expect(requests.length).toBeGreaterThanOrEqual(4);
    // Once seen on all four interfaces, an echo is one line (no second line for the same seq).
    const full = requests.filter((l) => l.includes(hops));
    const seqs = full.map((l) => /seq (\d+)/.exec(l)![1]);
    expect(new Set(seqs).size).toBe(seqs.length);
    const allSeqs = requests.map((l) => /seq (\d+)\b/.exec(l)![1]);
    for (const s of seqs) expect(allSeqs.filter((x) => x === s)).toHaveLength(1);
    expect(replies.some((l) => l.includes(back)), replies.join('\n')).toBe(true);
    // Ordered by timestamp: the times never go back.
    const times = cap.lines.map((l) => l.slice(0, 15));
    expect([...times].sort()).toEqual(times);
    expect(cap.stderr).toContain(`${h1.name}:${h1.container} over ssh`);
  });

  it('reports each remote\'s counters (tcpdump\'s, sent back when the capture stopped)', () => {
    for (const t of [`${h1.name}:${h1.container}`, `${h2.name}:eth0`]) {
      const line = cap.stderr.split('\n').find((l) => l.startsWith(`${t}: `));
      expect(line, cap.stderr).toMatch(/: [1-9]\d* received by filter, 0 dropped by kernel/);
    }
    expect(cap.stderr).not.toContain('ended:');
  });

  it('the written file replays as the same timeline, named by container and host with -H', () => {
    const r = runCli(['replay', '--no-tui', ...TWO_HOSTS.hosts.flatMap((h) => ['-H', `unix://${socketOf(h.name)}`]), file]);
    expect(r.status).toBe(0);
    const named = r.stdout.split('\n').filter((l) => l.includes(hops));
    expect(named.length).toBeGreaterThanOrEqual(4);
    for (const l of named) expect(l).toContain(`${h1.container}@${h1.name} > ${h2.container}@${h2.name}  ICMP echo request`);
  });

  it('a lost connection, or a target the remote does not have, ends that part with the reason; the rest goes on', async () => {
    const c = new CliProcess(['capture', '--no-tui', '--no-names', '--ssh-config', ssh.config, '-f', 'icmp', `${h1.name}:${h1.container}`, `${h2.name}:${h2.container}`, `${h1.name}:nosuch`]);
    const pinger = ping(150);
    try {
      await c.started();
      await c.until('the unknown target\'s end', (p) => p.stderr.includes(`capture on ${h1.name}:nosuch ended:`), 20_000);
      expect(c.stderr).toMatch(/capture on bs-dh1:nosuch ended: bridgescope-remote: nosuch is neither an interface nor a container here: .*\(ssh exited with 3\)/);
      await c.until('frames from both hosts', (p) => p.lines.some((l) => l.includes(`${h2.name}:${h2.container}`)), 20_000);
      killSshd(ssh, h2.name);
      await c.until('the end of the second host\'s part', (p) => p.stderr.includes(`capture on ${h2.name}:${h2.container} ended:`), 20_000);
      const endLine = c.stderr.split('\n').find((l) => l.includes(`capture on ${h2.name}:${h2.container} ended:`))!;
      expect(endLine).toMatch(/ssh exited with 255|closed by remote host|Connection .* closed/);
      const seen = c.lines.length;
      await c.until('more frames from the first host', (p) => p.lines.slice(seen).filter((l) => l.includes(`[${h1.name}:${h1.container}]`)).length >= 3, 10_000);
      const exit = await c.stop('SIGINT');
      expect(exit.code).toBe(0);
    } finally {
      pinger.kill();
      c.kill();
    }
  }, 60_000);

  it('bad target text is refused before any ssh runs', () => {
    const r = runCli(['capture', '--no-tui', `${h1.name}:bad;name`]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/remote target 'bs-dh1:bad;name'/);
    // The lab's daemons are still there (nothing above removed them).
    expect(dockerOn(h1.name, ['inspect', '-f', '{{.State.Running}}', h1.container])).toBe('true');
  });
});
