import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from './run-cli.js';
import { CliProcess } from '../lab/cli-process.js';
import { TWO_HOSTS, dockerOn, pidfileOf, socketOf, twoHostLabDown, twoHostLabUp, type TwoHostLab } from '../lab/two-host-lab.js';
import { describeLive } from '../support/live.js';
import { sshLabDown, sshLabUp } from '../lab/ssh-lab.js';
import { daemonFromUrl } from '../../src/docker/daemons.js';
import { firewallAccess } from '../../src/session/trace-overlay-firewall.js';
import { dockerdListeningOn } from '../../src/host/daemon-process.js';

/** The NDJSON fields this suite reads (README: NDJSON). */
interface NdjsonFrame {
  eth: { src: string; dst: string };
  ipv4: { src: string; dst: string; ttl: number; id: number };
  icmp: { type: number; code: number; id: number; seq: number };
  vxlan: { vni: number; outer: { src: string; dst: string; srcPort: number; dstPort: number; srcMac: string; dstMac: string } };
  src: Record<string, unknown>;
  dst: Record<string, unknown>;
}

/**
 * Every command that names frames, with -H for both daemons of the two-host Swarm lab
 * (test/lab/two-host-lab.ts): topology per host, a live capture of the underlay named from both
 * and checked against tshark, summary and assert on it, and trace across the hosts, met and then
 * lost on the overlay (UDP 4789 dropped inside host 2's namespace).
 */
describeLive('commands across two Docker hosts (-H)', { root: true, docker: true, tools: ['tshark', 'tcpdump', 'nsenter', 'dockerd', 'iptables', 'ssh', 'ssh-keygen', '/usr/sbin/sshd'] }, () => {
  let lab: TwoHostLab;
  const dir = mkdtempSync(join(tmpdir(), 'bridgescope-multihost-'));
  const file = join(dir, 'underlay.pcapng');
  const [h1, h2] = TWO_HOSTS.hosts;
  const hostFlags = TWO_HOSTS.hosts.flatMap((h) => ['-H', `unix://${socketOf(h.name)}`]);
  let lines: string[] = [];
  let json: NdjsonFrame[] = [];
  const PINGS = 3;

  beforeAll(async () => {
    lab = await twoHostLabUp();
    const cap = new CliProcess(['capture', TWO_HOSTS.underlay, ...hostFlags, '-f', 'udp port 4789', '-w', file, '--print', '-c', String(2 * PINGS), '--no-tui']);
    try {
      await cap.started();
      dockerOn(h1.name, ['exec', h1.container, 'ping', '-c', String(PINGS), '-i', '0.2', '-W', '2', lab.ips[h2.container]]);
      await cap.until(`${2 * PINGS} frames`, (p) => p.lines.length >= 2 * PINGS, 20_000);
      expect((await cap.exited).code).toBe(0);
    } finally {
      cap.kill();
    }
    lines = cap.lines;
    // What the file holds, as NDJSON, named from the snapshot the capture wrote into it.
    json = runCli(['replay', '--json', file]).stdout.trim().split('\n').map((l) => JSON.parse(l));
  }, 240_000);
  afterAll(() => twoHostLabDown(), 60_000);

  it('topology -H shows each host, its containers, and the overlay spanning both with VNI and underlay addresses', () => {
    const r = runCli(['topology', ...hostFlags]);
    expect(r.status).toBe(0);
    const underlay = (h: string) => dockerOn(h, ['info', '--format', '{{.Swarm.NodeAddr}}']);
    const hostBlock = (h: string) => r.stdout.split('╭─ host ').find((b) => b.startsWith(`${h} `))?.split('╰─')[0] ?? '';
    for (const h of TWO_HOSTS.hosts) {
      const block = hostBlock(h.name);
      expect(block).toContain(`underlay ${underlay(h.name)}`);
      expect(block).toContain(`container ${h.container}@${h.name}  running  ${TWO_HOSTS.overlay} ${lab.ips[h.container]}`);
      for (const other of TWO_HOSTS.hosts.filter((x) => x !== h)) expect(block).not.toContain(other.container);
    }
    expect(r.stdout).toContain(`overlay ${TWO_HOSTS.overlay}  VNI ${lab.vni}  ${TWO_HOSTS.subnet}  spans ${h1.name}, ${h2.name}`);
    expect(r.stdout).toContain(`── ${h1.name}  underlay ${h1.ip}: ${h1.container} ${lab.ips[h1.container]}`);
    expect(r.stdout).toContain(`── ${h2.name}  underlay ${h2.ip}: ${h2.container} ${lab.ips[h2.container]}`);
    const data = JSON.parse(runCli(['topology', '--json', ...hostFlags]).stdout);
    const ov = data.overlays.find((o: { name: string }) => o.name === TWO_HOSTS.overlay);
    expect(ov.vni).toEqual([lab.vni]);
    expect(ov.hosts).toEqual(TWO_HOSTS.hosts.map((h) => ({
      host: h.name, underlay: h.ip,
      containers: [{ name: h.container, ipv4: lab.ips[h.container], mac: dockerOn(h.name, ['inspect', '-f', `{{(index .NetworkSettings.Networks "${TWO_HOSTS.overlay}").MacAddress}}`, h.container]) }],
    })));
    expect(ov.peers.map((p: { ip: string }) => p.ip).sort()).toEqual([h1.ip, h2.ip]);
    expect(data.hosts.map((h: { swarm: { role: string } }) => h.swarm.role)).toEqual(['manager', 'worker']);
  });

  it('capture on the underlay with -H names the inner frames by container and host, with the VNI', () => {
    expect(lines).toHaveLength(2 * PINGS);
    lines.forEach((l, i) => {
      const [from, to] = i % 2 === 0 ? [h1, h2] : [h2, h1];
      expect(l).toContain(` ${from.container}@${from.name} > ${to.container}@${to.name}  ICMP echo ${i % 2 === 0 ? 'request' : 'reply'}, id `);
      expect(l).toContain(`(VXLAN ${lab.vni}, ${from.ip} > ${to.ip})`);
    });
    // The file keeps the names of both hosts: replayed without -H, frames are still named with them.
    expect(json).toHaveLength(2 * PINGS);
    json.forEach((rec, i) => {
      const [from, to] = i % 2 === 0 ? [h1, h2] : [h2, h1];
      expect(rec.vxlan).toMatchObject({ vni: lab.vni, outer: { src: from.ip, dst: to.ip, dstPort: 4789 } });
      expect(rec.src).toMatchObject({ container: from.container, host: from.name, network: TWO_HOSTS.overlay });
      expect(rec.dst).toMatchObject({ container: to.container, host: to.name, network: TWO_HOSTS.overlay });
      expect(rec.icmp.type).toBe(i % 2 === 0 ? 8 : 0);
    });
  });

  it('tshark agrees field by field on the inner frames and the tunnel (-d udp.port==4789,vxlan)', () => {
    const fields = ['eth.src', 'eth.dst', 'ip.src', 'ip.dst', 'ip.ttl', 'ip.id', 'icmp.type', 'icmp.code', 'icmp.ident', 'icmp.seq', 'vxlan.vni', 'udp.srcport', 'udp.dstport'];
    const out = execFileSync('tshark', ['-n', '-r', file, '-d', 'udp.port==4789,vxlan', '-Y', 'vxlan', '-T', 'fields', '-E', 'separator=/t', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const rows = out.trim().split('\n').map((l) => l.split('\t'));
    expect(rows).toHaveLength(json.length);
    const inner = (v: string) => v.split(',').pop();
    const outer = (v: string) => v.split(',')[0];
    rows.forEach((row, i) => {
      const t = Object.fromEntries(fields.map((f, k) => [f, row[k] ?? '']));
      const r = json[i];
      expect([inner(t['eth.src']), inner(t['eth.dst']), inner(t['ip.src']), inner(t['ip.dst'])]).toEqual([r.eth.src, r.eth.dst, r.ipv4.src, r.ipv4.dst]);
      expect([Number(inner(t['ip.ttl'])), Number(inner(t['ip.id']))]).toEqual([r.ipv4.ttl, r.ipv4.id]);
      expect([Number(t['icmp.type']), Number(t['icmp.code']), Number(t['icmp.ident']), Number(t['icmp.seq'])]).toEqual([r.icmp.type, r.icmp.code, r.icmp.id, r.icmp.seq]);
      expect([Number(t['vxlan.vni']), outer(t['ip.src']), outer(t['ip.dst']), outer(t['eth.src']), outer(t['eth.dst'])]).toEqual([r.vxlan.vni, r.vxlan.outer.src, r.vxlan.outer.dst, r.vxlan.outer.srcMac, r.vxlan.outer.dstMac]);
      expect([Number(t['udp.srcport']), Number(t['udp.dstport'])]).toEqual([r.vxlan.outer.srcPort, r.vxlan.outer.dstPort]);
    });
  });

  it('summary and assert -H name the pair from both hosts', () => {
    const s = JSON.parse(runCli(['summary', '--json', ...hostFlags, file]).stdout);
    expect(JSON.stringify(s)).toContain(`${h1.container}@${h1.name}`);
    const text = runCli(['summary', ...hostFlags, file]).stdout;
    expect(text).toMatch(new RegExp(`^${h1.container}@${h1.name} <-> ${h2.container}@${h2.name} +0/0/0 +${PINGS}/${PINGS}/0 +0%`, 'm'));
    const expectFile = join(dir, 'ping.expect');
    // Requests and replies alternate: one step each would end the first at the first reply.
    writeFileSync(expectFile, `any order\n  icmp echo-request ${h1.container} -> ${h2.container} x${PINGS}\n  icmp echo-reply ${h2.container} -> ${h1.container} x${PINGS}\nend\n`);
    const met = runCli(['assert', '--expect', expectFile, '--file', file, ...hostFlags]);
    expect(met.stdout).toContain(`expectation met (${2 * PINGS} frames)`);
    expect(met.status).toBe(0);
    // Without the daemons the file's own snapshot names them too; with no names at all they do not match.
    expect(runCli(['assert', '--expect', expectFile, '--file', file]).status).toBe(0);
    expect(runCli(['assert', '--expect', expectFile, '--file', file, '--no-names']).status).toBe(1);
  });

  it('assert live on the underlay with -H: met from the names of both hosts', async () => {
    const expectFile = join(dir, 'live.expect');
    writeFileSync(expectFile, `any order\n  icmp echo-request ${h1.container} -> ${h2.container} x2\n  icmp echo-reply ${h2.container} -> ${h1.container} x2\nend\n`);
    const a = new CliProcess(['assert', TWO_HOSTS.underlay, '--expect', expectFile, '--duration', '4s', ...hostFlags]);
    try {
      await a.started();
      dockerOn(h1.name, ['exec', h1.container, 'ping', '-c', '2', '-i', '0.2', '-W', '2', lab.ips[h2.container]]);
      expect((await a.exited).code).toBe(0);
    } finally {
      a.kill();
    }
    expect(a.stdout).toContain('expectation met');
  }, 30_000);

  it('trace across the hosts: hops on A\'s host, the underlay, B\'s host; met', () => {
    const r = runCli(['trace', h1.container, h2.container, ...hostFlags, '-c', String(PINGS), '--cold', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v.met).toBe(true);
    expect(v.reasons).toEqual([]);
    expect(v.overlay).toEqual({ network: TWO_HOSTS.overlay, vni: lab.vni, fromHost: h1.name, toHost: h2.name, fromUnderlay: h1.ip, toUnderlay: h2.ip });
    expect(v.hops.map((h: { label: string }) => h.label)).toEqual([
      `${h1.container}'s eth0 on ${h1.name}`, `${h1.name}'s underlay port ${h1.name}-u`, `underlay ${TWO_HOSTS.underlay}`, `${h2.name}'s underlay port ${h2.name}-u`, `${h2.container}'s eth0 on ${h2.name}`,
    ]);
    for (const h of v.hops) expect([h.echoRequests.count, h.echoReplies.count]).toEqual([PINGS, PINGS]);
    // The overlay answers A's ARP on A's own host (proxy ARP from the Swarm's records): none crosses the underlay.
    expect(v.hops[0].arpRequests.count).toBeGreaterThan(0);
    expect(v.hops[0].arpReplies.count).toBeGreaterThan(0);
    for (const h of v.hops.slice(1)) expect(h.arpRequests.count + h.arpReplies.count).toBe(0);
    expect(v.verdict).toContain(`crossed overlay ${TWO_HOSTS.overlay} (VNI ${lab.vni}, ${h1.ip} > ${h2.ip})`);
  });

  it('trace -H -w writes every hop as an interface named with its host: a replay names the frames and hosts, tshark reads it', () => {
    const out = join(dir, 'trace.pcapng');
    const r = runCli(['trace', h1.container, h2.container, ...hostFlags, '-c', String(PINGS), '-w', out, '--json']);
    expect(r.status).toBe(0);
    const v = JSON.parse(r.stdout);
    // Named as `capture host:container` names the same hop.
    const hops = [`${h1.name}:${h1.container}`, `${h1.name}-u`, TWO_HOSTS.underlay, `${h2.name}-u`, `${h2.name}:${h2.container}`];
    const replay = (...args: string[]) => runCli(['replay', '--json', ...args, out]).stdout.trim().split('\n').map((l) => JSON.parse(l));
    // Every copy, as the trace counted them, each on its hop; no -H: the names come from the file.
    const copies = replay('--all-copies');
    expect(copies).toHaveLength(v.frames);
    expect([...new Set(copies.map((c: { iface: string }) => c.iface))].sort()).toEqual([...hops].sort());
    const requests = (recs: Array<NdjsonFrame & { iface: string }>) => recs.filter((c) => c.icmp?.type === 8);
    for (const c of requests(copies)) {
      expect(c.src).toMatchObject({ container: h1.container, host: h1.name, network: TWO_HOSTS.overlay });
      expect(c.dst).toMatchObject({ container: h2.container, host: h2.name, network: TWO_HOSTS.overlay });
    }
    expect(requests(copies)).toHaveLength(PINGS * hops.length);
    // Merged, each echo request is one frame seen on all five hops, from A's namespace to B's (a port
    // and its bridge see a frame at one instant, so the underlay's three may come in either order).
    const merged = requests(replay());
    expect(merged).toHaveLength(PINGS);
    for (const m of merged) {
      const seen = (m as unknown as { hops: Array<{ iface: string }> }).hops.map((h) => h.iface);
      expect([...seen].sort()).toEqual([...hops].sort());
      expect([seen[0], seen[4]]).toEqual([hops[0], hops[4]]);
    }
    const fields = execFileSync('tshark', ['-n', '-r', out, '-T', 'fields', '-E', 'separator=/t', '-e', 'frame.interface_name', '-e', 'frame.interface_description'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const rows = fields.trim().split('\n').map((l) => l.split('\t'));
    expect(rows).toHaveLength(v.frames);
    expect(rows.map((row) => row[0])).toEqual(copies.map((c: { iface: string }) => c.iface));
    expect(new Set(rows.map((row) => row[1]))).toEqual(new Set(v.hops.map((h: { label: string }) => h.label)));
  });

  it('trace with UDP 4789 dropped on host 2: the verdict says the overlay lost it', () => {
    const rule = ['INPUT', '-p', 'udp', '--dport', '4789', '-j', 'DROP'];
    execFileSync('ip', ['netns', 'exec', h2.name, 'iptables', '-I', ...rule]);
    let r;
    let dropped = -1;
    try {
      r = runCli(['trace', h1.container, h2.container, ...hostFlags, '-c', '2']);
      const listed = execFileSync('ip', ['netns', 'exec', h2.name, 'iptables', '-L', 'INPUT', '1', '-v', '-x', '-n'], { encoding: 'utf8' });
      dropped = Number(listed.trim().split(/\s+/)[0]);
    } finally {
      execFileSync('ip', ['netns', 'exec', h2.name, 'iptables', '-D', ...rule]);
    }
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`verdict: NOT met (${h1.container} -> ${h2.container}@${h2.name})`);
    expect(r.stdout).toContain(`the overlay lost the echo requests: VXLAN sent by host ${h1.name} (VNI ${lab.vni}, ${h1.ip} > ${h2.ip}) crossed the underlay (${h1.name}-u, ${TWO_HOSTS.underlay}, ${h2.name}-u) and was never received by host ${h2.name}: none reached ${h2.container}'s eth0 on ${h2.name}`);
    expect(r.stdout).toMatch(new RegExp(`${h2.container}'s eth0 on ${h2.name} +- +- +- +- +-`));
    // Host 2's firewall, read in its namespace, names the rule; its counter as iptables itself read it.
    expect(r.stdout).toContain(`why:\n  - host ${h2.name}'s filter INPUT rule 1 \`-A INPUT -p udp -m udp --dport 4789 -j DROP\` dropped the VXLAN from host ${h1.name} (${h1.ip} > ${h2.ip}, UDP 4789): it counted ${dropped} packets during the trace (0 -> ${dropped})\n`);
    expect(dropped).toBeGreaterThanOrEqual(2);
    // With the rule gone the same trace is met again, with no why: the rule, not the lab, lost them.
    const met = runCli(['trace', h1.container, h2.container, ...hostFlags, '-c', '2']);
    expect(met.status).toBe(0);
    expect(met.stdout).not.toContain('why:');
  });

  it('reads an ssh:// host\'s firewall over ssh as its namespace holds it', async () => {
    const ssh = await sshLabUp();
    try {
      const [overSsh, here] = await Promise.all([
        firewallAccess(daemonFromUrl(`ssh://root@${h2.name}`), { config: ssh.config }),
        firewallAccess(daemonFromUrl(`unix://${socketOf(h2.name)}`)),
      ]);
      const [a, b] = await Promise.all([overSsh, here].map((x) => ('read' in x ? x.read() : Promise.reject(new Error(x.unreadable)))));
      expect(a.error).toBeUndefined();
      // Docker's own rules in host 2's namespace: the same rules whichever way they were read.
      expect(b.rules.some((r) => r.chain.startsWith('DOCKER'))).toBe(true);
      expect(a.rules.map((r) => `${r.table} ${r.text}`)).toEqual(b.rules.map((r) => `${r.table} ${r.text}`));
    } finally {
      sshLabDown(ssh);
    }
  }, 60_000);

  it('finds each lab daemon by its socket: the pid its pidfile holds', async () => {
    for (const h of TWO_HOSTS.hosts) expect(await dockerdListeningOn(socketOf(h.name))).toBe(Number(readFileSync(pidfileOf(h.name), 'utf8')));
    expect(await dockerdListeningOn(join(dir, 'no.sock'))).toBeUndefined();
  });
});
