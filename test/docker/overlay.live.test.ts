import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FrameDecoder } from '../../src/decode/index.js';
import { openCaptureFile } from '../../src/pcap/open.js';
import { runCli } from '../cli/run-cli.js';
import { CliProcess } from '../lab/cli-process.js';
import { TWO_HOSTS, dockerOn, socketOf, twoHostLabDown, twoHostLabUp, type TwoHostLab } from '../lab/two-host-lab.js';
import { describeLive } from '../support/live.js';
import { FIELDS, tsharkLike } from '../support/tshark-fields.js';

/**
 * Two Docker hosts in a Swarm (test/lab/two-host-lab.ts): a ping between containers on different
 * hosts, captured on the underlay bridge, is opened (VXLAN), named from both daemons, and decoded
 * as tshark decodes it.
 */
describeLive('overlay traffic between two Docker hosts', { root: true, docker: true, tools: ['tshark', 'nsenter', 'dockerd'] }, () => {
  let lab: TwoHostLab;
  const file = join(mkdtempSync(join(tmpdir(), 'bridgescope-overlay-')), 'underlay.pcapng');
  const [h1, h2] = TWO_HOSTS.hosts;
  const hostFlags = TWO_HOSTS.hosts.flatMap((h) => ['-H', `unix://${socketOf(h.name)}`]);

  beforeAll(async () => {
    lab = await twoHostLabUp();
    const cap = new CliProcess(['capture', TWO_HOSTS.underlay, '-f', 'udp port 4789', '-w', file, '--print', '-c', '6', '--no-names', '--no-tui']);
    try {
      await cap.started();
      dockerOn(h1.name, ['exec', h1.container, 'ping', '-c', '3', '-i', '0.2', '-W', '2', lab.ips[h2.container]]);
      await cap.until('6 frames', (p) => p.lines.length >= 6, 20_000);
      await cap.exited;
    } finally {
      cap.kill();
    }
  }, 180_000);
  afterAll(() => twoHostLabDown(), 60_000);

  it('the underlay carries the ping as VXLAN with the overlay network\'s VNI', () => {
    expect(lab.vni).toBeGreaterThan(0);
    const vnis = execFileSync('tshark', ['-n', '-r', file, '-T', 'fields', '-e', 'vxlan.vni'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
    expect(vnis).toEqual(Array(6).fill(String(lab.vni)));
  });

  it('replay -H of both daemons names the inner frames by container and host, with VNI and underlay hosts', () => {
    const r = runCli(['replay', '--no-tui', ...hostFlags, file]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(6);
    const there = ` ${h1.container}@${h1.name} > ${h2.container}@${h2.name}  ICMP echo request`;
    const back = ` ${h2.container}@${h2.name} > ${h1.container}@${h1.name}  ICMP echo reply`;
    lines.forEach((l, i) => {
      const [from, to] = i % 2 === 0 ? [h1.ip, h2.ip] : [h2.ip, h1.ip];
      expect(l).toContain(i % 2 === 0 ? there : back);
      expect(l).toContain(`(VXLAN ${lab.vni}, ${from} > ${to})`);
    });
    // Analysis pairs the inner echo: every reply has its RTT.
    for (const l of lines.filter((_, i) => i % 2 === 1)) expect(l).toMatch(/, rtt \d+\.\d{3} ms$/);
    const json = runCli(['replay', '--json', ...hostFlags, file]).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(json[0].vxlan).toMatchObject({ vni: lab.vni, outer: { src: h1.ip, dst: h2.ip, dstPort: 4789 } });
    expect(json[0].src).toMatchObject({ container: h1.container, host: h1.name, network: TWO_HOSTS.overlay });
    expect(json[0].dst).toMatchObject({ container: h2.container, host: h2.name });
  });

  it('decodes every field as tshark does, outer and inner layers', async () => {
    const args = ['-n', '-r', file, '-T', 'fields', '-E', 'separator=/t'];
    for (const f of FIELDS) args.push('-e', f);
    const theirs = execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').map((l) => l.split('\t'));
    const dec = new FrameDecoder();
    const mine: string[][] = [];
    for await (const b of openCaptureFile(file)) for (let i = 0; i < b.count; i++) mine.push(Object.values(tsharkLike(dec.decodeFrame(b, i))));
    // tshark lists our pcapng topology block, if any, as a frame with no fields: compare packets only.
    expect(mine).toEqual(theirs.filter((row) => row.some((v) => v !== '')).map((row) => FIELDS.map((_, k) => row[k] ?? '')));
    expect(mine[0][FIELDS.indexOf('ip.src')]).toBe(`${h1.ip},${lab.ips[h1.container]}`);
  });
});
