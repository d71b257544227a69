import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remoteScript, shellQuote, sshArgs } from '../../src/capture/remote-target.js';
import { openCaptureFile } from '../../src/pcap/open.js';
import { runCli } from '../cli/run-cli.js';
import { CliProcess } from '../lab/cli-process.js';
import { installBridgescope, killSshd, sshLabDown, sshLabUp, type SshLab } from '../lab/ssh-lab.js';
import { TWO_HOSTS, dockerOn, socketOf, twoHostLabDown, twoHostLabUp, type TwoHostLab } from '../lab/two-host-lab.js';
import { describeLive } from '../support/live.js';

const cliMain = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/**
 * Remote capture over ssh against real sshds (test/lab/ssh-lab.ts), one in each host namespace of
 * the two-host Swarm lab: the containers on both hosts and both hosts' underlay ports, captured
 * there by tcpdump (no bridgescope on the remotes), merged here into one timeline in which each
 * echo crossing the overlay is one frame with its four hops, host by host; then the same with
 * this worktree's bridgescope on the remotes' PATH (pcapng with ISBs, every container interface).
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

  describe('with bridgescope on the remotes', () => {
    const stream = join(mkdtempSync(join(tmpdir(), 'bridgescope-remote-bs-')), 'stream.pcapng');
    const local = join(stream, '..', 'merged.pcapng');
    const ifs = (h: (typeof TWO_HOSTS.hosts)[number]) => [`${h.name}:${h.container}/eth0`, `${h.name}:${h.container}/eth1`];
    const bsHops = `${h1.name}:${h1.container}/eth0 → ${h1.name}:eth0 → ${h2.name}:eth0 → ${h2.name}:${h2.container}/eth0`;
    let named: CliProcess;
    let streamExit: unknown;

    beforeAll(async () => {
      for (const h of TWO_HOSTS.hosts) installBridgescope(ssh, h.name, cliMain);
      // The remote's side alone, as RemoteCaptureSource runs it: its stream kept as bytes.
      const remote = spawn('ssh', sshArgs({ host: h2.name }, `exec sh -c ${shellQuote(remoteScript(h2.container, { filter: 'icmp' }))}`, { config: ssh.config }), { stdio: ['pipe', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      let said = '';
      remote.stdout!.on('data', (d: Buffer) => chunks.push(d));
      remote.stderr!.on('data', (d: Buffer) => (said += d.toString()));
      const started = Date.now();
      while (!said.includes('capturing on') && Date.now() - started < 30_000) await new Promise((r) => setTimeout(r, 50));
      const pinger = ping(5);
      await once(pinger, 'close');
      remote.stdin!.end();
      [streamExit] = await once(remote, 'close');
      writeFileSync(stream, Buffer.concat(chunks));

      named = new CliProcess(['capture', '--no-tui', '--ssh-config', ssh.config, '-f', 'icmp or udp port 4789',
        ...TWO_HOSTS.hosts.flatMap((h) => ['-H', `unix://${socketOf(h.name)}`]),
        `${h1.name}:${h1.container}`, `${h2.name}:${h2.container}`, `${h1.name}:eth0`, `${h2.name}:eth0`, '-w', local, '--print']);
      await named.started();
      const pinger2 = ping(40);
      await named.until('echoes seen on all four hops', (p) => p.lines.filter((l) => l.includes(bsHops)).length >= 4, 30_000);
      pinger2.kill();
      await new Promise((r) => setTimeout(r, 500));
      await named.stop('SIGINT');
    }, 120_000);
    afterAll(() => {
      named?.kill();
      for (const h of TWO_HOSTS.hosts) installBridgescope(ssh, h.name, undefined);
    });

    it('the remote streams pcapng: nanosecond times, every interface of the container, an ISB each at the end, exit 0', async () => {
      expect(streamExit).toBe(0);
      const info = execFileSync('capinfos', [stream], { encoding: 'utf8' });
      expect(info).toMatch(/File type:\s+Wireshark\/\.\.\. - pcapng/);
      expect(info).toMatch(/Number of interfaces in file: 2/);
      expect(info.match(/Time precision = nanoseconds \(9\)/g)).toHaveLength(2);
      expect(info.match(/Number of stat entries = 1/g)).toHaveLength(2);
      const src = openCaptureFile(stream);
      let frames = 0;
      for await (const b of src) frames += b.count;
      expect(src.interfaces.map((i) => i.name).sort()).toEqual(['eth0', 'eth1']);
      const eth0 = src.interfaces.findIndex((i) => i.name === 'eth0');
      const isb = src.meta.interfaceStats.find((s) => s.ifIndex === eth0)!;
      // Ten echoes (5 requests, 5 replies) crossed the overlay on eth0; the counters say as much.
      expect(frames).toBeGreaterThanOrEqual(10);
      expect(isb.received).toBeGreaterThanOrEqual(10n);
      expect(isb.osDropped).toBe(0n);
    });

    it('frames are decoded and named by container and host, with their hops on each container interface', () => {
      const requests = named.lines.filter((l) => l.includes(bsHops) && l.includes('ICMP echo request'));
      expect(requests.length, named.stdout).toBeGreaterThanOrEqual(4);
      for (const l of requests) expect(l).toContain(`${h1.container}@${h1.name} > ${h2.container}@${h2.name}  ICMP echo request`);
    });

    it('each container interface\'s counters come from its ISB and are printed; nothing ended early', () => {
      for (const h of TWO_HOSTS.hosts) {
        for (const i of ifs(h)) expect(named.stderr, named.stderr).toMatch(new RegExp(`^${i}: \\d+ received by filter, 0 dropped by kernel, 0 dropped by interface$`, 'm'));
        const eth0 = new RegExp(`^${ifs(h)[0]}: (\\d+) received by filter`, 'm').exec(named.stderr)!;
        expect(Number(eth0[1])).toBeGreaterThanOrEqual(8);
      }
      expect(named.stderr).not.toContain('ended:');
    });

    it('tshark reads the local -w file: the remote interfaces by name, the echoes on each', () => {
      const rows = execFileSync('tshark', ['-n', '-r', local, '-T', 'fields', '-e', 'frame.interface_name', '-e', 'icmp.type', '-Y', 'icmp'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
        .split('\n').filter(Boolean).map((l) => l.split('\t'));
      for (const i of [ifs(h1)[0], `${h1.name}:eth0`, `${h2.name}:eth0`, ifs(h2)[0]]) {
        expect(rows.filter(([name, type]) => name === i && type.split(',').includes('8')).length, i).toBeGreaterThanOrEqual(4);
      }
    });
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
