import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TopologyResolver } from '../../src/annotate/topology-resolver.js';
import { matchExpectation } from '../../src/expect/match-expectation.js';
import { sequence } from '../../src/expect/expectation.js';
import { FrameDecoder } from '../../src/decode/index.js';
import { resolveTarget } from '../../src/docker/targets.js';
import { loadTopology } from '../../src/docker/topology.js';
import type { Topology } from '../../src/model/topology.js';
import { replay } from '../../src/session/recorded.js';
import { planTrace } from '../../src/session/trace-plan.js';
import { compileFilter } from '../../src/tui/filter/display-filter.js';
import { describeLive } from '../support/live.js';
import { runCli } from '../cli/run-cli.js';
import { CliProcess } from '../lab/cli-process.js';
import { dockerClient } from '../../src/docker/client.js';
import { LAB_LABEL, LAB_LABEL_VALUE } from '../../src/docker/lab.js';
import { runLabContainer, TEST_IMAGE } from '../lab/docker-lab.js';
import { IDENTITY_LAB as L, identityLabDown, identityLabUp, type IdentityLab } from '../lab/identity-lab.js';

const LABEL = 'alpha-web (+delta-sidecar)';

interface Side {
  container?: string;
  containerId?: string;
  name?: string;
  sharedWith?: string[];
  compose?: { project: string; service: string };
}
interface Record {
  proto: string;
  summary: string;
  src: Side;
  dst: Side;
  icmp?: { type: number };
}

const json = <T,>(text: string): T[] => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as T);

describeLive('names that hold: every name form on a lab with a sidecar, compose labels, two networks', { root: true, docker: true, tools: ['tcpdump'] }, () => {
  let lab: IdentityLab;
  let t: Topology;
  let dir: string;
  let cap: string;
  /** Every way alpha-web's traffic can be named, and beta-db's. */
  let webForms: string[];
  let dbForms: string[];

  beforeAll(async () => {
    lab = await identityLabUp();
    t = await loadTopology();
    dir = await mkdtemp(join(tmpdir(), 'bs-identity-'));
    cap = join(dir, 'shop.pcapng');
    webForms = ['alpha-web', 'delta-sidecar', 'shop/web', 'web', lab.web.id.slice(0, 6), L.web.ipv4];
    dbForms = ['beta-db', 'database', lab.db.id.slice(0, 6)];
    const p = new CliProcess(['capture', L.shop.name, '-w', cap, '--print', '--no-tui']);
    try {
      await p.started();
      execFileSync('docker', ['exec', L.web.name, 'ping', '-c', '3', L.db.ipv4], { stdio: 'ignore', timeout: 20_000 });
      await p.until('three echo replies', (x) => x.lines.filter((l) => l.includes('echo reply')).length >= 3);
    } finally {
      await p.stop();
      p.kill();
    }
  });
  afterAll(async () => {
    await identityLabDown();
  });

  it('the topology knows the sidecar, the compose service and both networks with the alias', () => {
    const web = t.containers.find((c) => c.name === 'alpha-web')!;
    expect(web).toMatchObject({ label: LABEL, sharedWith: ['delta-sidecar'], compose: { project: 'shop', service: 'web' } });
    const dbEps = t.endpoints.filter((e) => e.containerId === lab.db.id);
    expect(dbEps.map((e) => e.network).sort()).toEqual(['bs-admin', 'bs-shop']);
    for (const e of dbEps) expect(e.aliases).toContain('database');
  });

  it('capture targets: every form resolves to the namespace owner veths', async () => {
    const webVeth = t.endpoints.find((e) => e.containerId === lab.web.id)!.hostVeth!;
    const dbVeths = t.endpoints.filter((e) => e.containerId === lab.db.id).map((e) => e.hostVeth!).sort();
    expect(webVeth).toMatch(/^veth/);
    expect(dbVeths).toHaveLength(2);
    for (const form of ['alpha-web', 'delta-sidecar', 'shop/web', 'web', lab.web.id.slice(0, 6), LABEL]) {
      const target = await resolveTarget(form, { topology: t });
      expect(target.interfaces, form).toEqual([webVeth]);
      expect(target.containerIds, form).toEqual([lab.web.id]);
    }
    for (const form of dbForms) expect((await resolveTarget(form, { topology: t })).interfaces.sort(), form).toEqual(dbVeths);
  });

  it('capture by sidecar, project/service, service, id prefix and alias captures and names the ping', async () => {
    for (const form of ['delta-sidecar', 'shop/web', 'web', lab.web.id.slice(0, 8), 'database']) {
      const p = new CliProcess(['capture', form, '-c', '2', '-f', 'icmp', '--no-tui']);
      try {
        await p.started();
        execFileSync('docker', ['exec', L.web.name, 'ping', '-c', '2', L.db.ipv4], { stdio: 'ignore', timeout: 20_000 });
        const { code } = await p.exited;
        expect(code, `${form}: ${p.stderr}`).toBe(0);
        expect(p.lines, form).toHaveLength(2);
        expect(p.lines[0], form).toContain(`${LABEL} > beta-db  ICMP echo request`);
        expect(p.lines[1], form).toContain(`beta-db > ${LABEL}  ICMP echo reply`);
      } finally {
        p.kill();
      }
    }
  });

  it('an ambiguous name is one line listing the candidates, exit 2; a typo lists the close name forms', async () => {
    const blog = await dockerClient().call('create blog-web', (d) =>
      d.createContainer({
        name: 'blog-web',
        Image: TEST_IMAGE,
        Cmd: ['sleep', '1000000'],
        Labels: { [LAB_LABEL]: LAB_LABEL_VALUE, 'com.docker.compose.project': 'blog', 'com.docker.compose.service': 'web' },
        HostConfig: { NetworkMode: L.shop.name },
      }),
    );
    try {
      await blog.start();
      const r = runCli(['capture', 'web', '-c', '1']);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual(['bridgescope: web names several containers: blog/web, shop/web; name one of them']);
      const t2 = runCli(['trace', 'web', 'beta-db']);
      expect(t2.status).toBe(2);
      expect(t2.stderr).toContain('web names several containers: blog/web, shop/web');
    } finally {
      await blog.remove({ force: true });
    }
    const typo = runCli(['capture', 'databse', '-c', '1']);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('did you mean database');
  });

  it('display filter: every form selects the same frames, from a resolver built by loadTopology', async () => {
    const rec = await replay(cap, { names: false });
    const resolver = new TopologyResolver(await loadTopology());
    const decoder = new FrameDecoder();
    const count = (filter: string) => {
      const pred = compileFilter(filter)!;
      let n = 0;
      for (const f of rec.frames) if (pred(decoder.decode(f.bytes, f.linkType, f.origLen), resolver, f.tsSec)) n++;
      return n;
    };
    const echoes = count(`icmp and ${L.web.ipv4}`);
    expect(echoes).toBe(6);
    for (const form of webForms) expect(count(`icmp and ${form}`), form).toBe(echoes);
    for (const form of dbForms) expect(count(`icmp and ${form}`), form).toBe(echoes);
    expect(count('icmp and beta-dbx')).toBe(0);
  });

  it('assert --expect: every form of both ends meets `icmp echo-request A -> B x3`', async () => {
    const quote = (f: string) => (f.includes(' ') ? `"${f}"` : f);
    for (const [a, b] of [...[...webForms, LABEL].map((w) => [w, 'beta-db']), ...dbForms.map((d) => ['alpha-web', d])]) {
      const file = join(dir, 'expect.txt');
      await writeFile(file, `any order\n  icmp echo-request ${quote(a)} -> ${quote(b)} x3\n  icmp echo-reply ${quote(b)} -> ${quote(a)} x3\nend\n`);
      const r = runCli(['assert', '--expect', file, '--file', cap]);
      expect(r.status, `${a} -> ${b}: ${r.stdout}${r.stderr}`).toBe(0);
    }
    const wrong = join(dir, 'wrong.txt');
    await writeFile(wrong, 'icmp echo-request beta-db -> delta-sidecar\n');
    expect(runCli(['assert', '--expect', wrong, '--file', cap]).status).toBe(1);
  });

  it("the API: sequence().icmp('echo-request', 'delta-sidecar', 'beta-db') matches", async () => {
    const rec = await replay(cap);
    const seq = sequence().anyOrder((g) => g.icmp('echo-request', 'delta-sidecar', 'beta-db').times(3).icmp('echo-reply', 'database', 'shop/web').times(3));
    expect(matchExpectation(rec, seq).ok).toBe(true);
    expect(matchExpectation(rec, sequence().icmp('echo-request', 'beta-db', 'delta-sidecar')).ok).toBe(false);
  });

  it('NDJSON: container is the real name, name the label, sharedWith and compose carried; joins with topology --json', () => {
    const recs = json<Record>(runCli(['replay', cap, '--json']).stdout).filter((r) => r.icmp?.type === 8);
    expect(recs).toHaveLength(3);
    const src = recs[0].src;
    expect(src).toMatchObject({ container: 'alpha-web', containerId: lab.web.id, name: LABEL, compose: { project: 'shop', service: 'web' } });
    expect(src.sharedWith).toContain('delta-sidecar');
    const topo = JSON.parse(runCli(['topology', '--json']).stdout) as Topology;
    // What `jq` would do: join frames to containers by name.
    const byName = new Map(topo.containers.map((c) => [c.name, c]));
    for (const r of recs) {
      expect(byName.get(r.src.container!)?.id).toBe(lab.web.id);
      expect(byName.get(r.dst.container!)?.id).toBe(lab.db.id);
    }
  });

  it('summary: alpha-web with its sidecar and beta-db are one row, shown by label', () => {
    const r = runCli(['summary', cap, '--json']);
    expect(r.status).toBe(0);
    const pairs = (JSON.parse(r.stdout) as { pairs: Array<{ a: string; b: string; aContainer?: string; bContainer?: string; icmp: { requests: number; replies: number } }> }).pairs;
    const rows = pairs.filter((p) => [p.a, p.b].includes(LABEL));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ a: LABEL, b: 'beta-db', aContainer: 'alpha-web', bContainer: 'beta-db', icmp: { requests: 3, replies: 3 } });
    const text = runCli(['summary', cap]).stdout;
    expect(text).toContain(LABEL);
  });

  it('trace targets resolve in every form (the sidecar pings from its owner namespace)', () => {
    for (const [a, b] of [['delta-sidecar', 'beta-db'], ['shop/web', 'database'], ['web', lab.db.id.slice(0, 6)]]) {
      const plan = planTrace(t, a, b);
      expect(plan, `${a} ${b}`).toMatchObject({ toIp: L.db.ipv4, fromIp: L.web.ipv4, blockers: [] });
      expect(plan.path).toContain('share network bs-shop');
    }
    const r = runCli(['trace', 'delta-sidecar', 'beta-db', '-c', '1', '--json']);
    expect(r.stderr).not.toContain('is not a container');
    expect(r.status).not.toBe(2);
    expect(runCli(['trace', 'delta-sidecarr', 'beta-db']).stderr).toContain('did you mean delta-sidecar');
  });

  it('topology lists a container that does not run, with its state (box and --json)', async () => {
    const idle = await runLabContainer('gamma-idle', { network: L.shop.name, start: false });
    try {
      const box = runCli(['topology']).stdout;
      expect(box).toContain('not running');
      expect(box).toMatch(/\[gamma-idle\] created/);
      const topo = JSON.parse(runCli(['topology', '--json']).stdout) as Topology;
      expect(topo.containers.find((c) => c.name === 'gamma-idle')?.state).toBe('created');
    } finally {
      await idle.remove({ force: true });
    }
  });
});
