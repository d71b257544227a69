import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { ipv4ToNumber, macToNumber } from '../../src/annotate/address.js';
import { loadSnapshotFile } from '../../src/session/snapshot-load.js';
import { GATEWAY_LABEL, TopologyResolver } from '../../src/annotate/topology-resolver.js';
import { TOPOLOGY_VERSION, type Topology } from '../../src/model/topology.js';
import { registerTopology } from '../../src/cli/commands/topology.js';
import { DockerClient } from '../../src/docker/client.js';
import { LAB_LABEL, labDown } from '../../src/docker/lab.js';
import { renderBox } from '../../src/present/topology/box.js';
import { renderDot, renderMermaid } from '../../src/present/topology/graph.js';
import { resolveTarget, UnknownTargetError } from '../../src/docker/targets.js';
import { loadTopology } from '../../src/docker/topology.js';
import { describeLive } from '../support/live.js';
import { ipJson, labExec, seedLabDown, seedLabUp } from '../lab/docker-lab.js';

interface IpLink {
  ifindex: number;
  ifname: string;
  address: string;
  link_index?: number;
  master?: string;
  linkinfo?: { info_kind?: string };
}

const inspect = (kind: 'network' | 'container', name: string) =>
  JSON.parse(execFileSync('docker', [kind, 'inspect', name], { encoding: 'utf8' }))[0];

describeLive('topology of the seed lab', { root: true, docker: true, tools: ['tcpdump'] }, () => {
  let t: Topology;

  beforeAll(async () => {
    await seedLabUp();
    // Teach the bridge both MACs, as the seed's ping did.
    labExec('web-bridge-1', ['ping', '-c', '1', '172.30.0.11']);
    t = await loadTopology();
  });
  afterAll(async () => {
    await seedLabDown();
  });

  it('matches docker network inspect and ip -d link: bridges, veth peers, MACs, IPs', () => {
    const net = inspect('network', 'br_xx');
    const bridge = `br-${net.Id.slice(0, 12)}`;
    expect(t.networks.find((n) => n.name === 'br_xx')).toMatchObject({
      id: net.Id,
      driver: 'bridge',
      subnet: '172.30.0.0/16',
      gateway: '172.30.0.1',
      bridge,
    });
    expect(t.networks.find((n) => n.name === 'bridge')?.bridge).toBe('docker0');
    const links = ipJson<IpLink[]>(['-d', 'link', 'show']);
    const brLink = links.find((l) => l.ifname === bridge)!;
    expect(brLink.linkinfo?.info_kind).toBe('bridge');
    expect(t.bridges.find((b) => b.name === bridge)).toMatchObject({ network: 'br_xx', mac: brLink.address, ifindex: brLink.ifindex });

    for (const name of ['web-bridge-1', 'web-bridge-2', 'web-default']) {
      const c = inspect('container', name);
      const [netName, dockerEp] = Object.entries(c.NetworkSettings.Networks)[0] as [string, { MacAddress: string; IPAddress: string }];
      const ep = t.endpoints.find((e) => e.container === name)!;
      expect(ep).toMatchObject({ network: netName, mac: dockerEp.MacAddress, ipv4: dockerEp.IPAddress, ifname: 'eth0' });
      // The container's eth0, asked from inside, must be the peer of the host veth we found.
      const eth0Index = Number(labExec(name, ['cat', '/sys/class/net/eth0/ifindex']).trim());
      const veth = links.find((l) => l.ifname === ep.hostVeth)!;
      expect(veth.linkinfo?.info_kind).toBe('veth');
      expect(veth.link_index).toBe(eth0Index);
      expect(veth.master).toBe(netName === 'br_xx' ? bridge : 'docker0');
      expect(ep.hostIfIndex).toBe(veth.ifindex);
      const port = t.bridges.find((b) => b.name === veth.master)!.ports.find((p) => p.name === veth.ifname);
      expect(port?.container).toBe(name);
    }
    const route = t.routes.find((r) => r.dst === '172.30.0.0/16');
    expect(route?.dev).toBe(bridge);
  });

  it('names the learned MACs of the fdb and resolves containers and the gateway', () => {
    const br = t.bridges.find((b) => b.network === 'br_xx')!;
    const learned = br.ports.flatMap((p) => p.learned.map((l) => `${p.container}:${l.container}`));
    expect(learned.sort()).toEqual(['web-bridge-1:web-bridge-1', 'web-bridge-2:web-bridge-2']);

    const r = new TopologyResolver(t);
    const two = t.endpoints.find((e) => e.container === 'web-bridge-2')!;
    expect(r.byIpv4(ipv4ToNumber('172.30.0.10'))?.label).toBe('web-bridge-1');
    expect(r.byMac(macToNumber(two.mac!))).toMatchObject({ label: 'web-bridge-2', bridge: br.name, hostVeth: two.hostVeth });
    expect(r.byIfIndex(two.hostIfIndex!)?.label).toBe('web-bridge-2');
    expect(r.byMac(macToNumber(br.mac!))?.label).toBe(GATEWAY_LABEL);
    expect(r.byIpv4(ipv4ToNumber('172.30.0.1'))).toMatchObject({ label: GATEWAY_LABEL, network: 'br_xx' });
  });

  it('draws the host view with the names, as box, mermaid and dot, and --json is the snapshot', async () => {
    const br = t.bridges.find((b) => b.network === 'br_xx')!;
    for (const text of [renderBox(t), renderMermaid(t), renderDot(t)]) {
      for (const s of ['web-bridge-1', 'web-bridge-2', 'web-default', 'br_xx', br.name, 'docker0', '172.30.0.10', ...br.ports.map((p) => p.name)]) {
        expect(text).toContain(s);
      }
    }
    const one = t.endpoints.find((e) => e.container === 'web-bridge-1')!;
    expect(renderBox(t)).toContain(`learned: ${one.mac} (web-bridge-1)`);

    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    try {
      const program = new Command().exitOverride();
      registerTopology(program);
      await program.parseAsync(['node', 'bridgescope', 'topology', '--json']);
    } finally {
      spy.mockRestore();
    }
    const json = JSON.parse(out.join('')) as Topology;
    expect(json.version).toBe(TOPOLOGY_VERSION);
    expect(json.endpoints.map((e) => e.container)).toEqual(expect.arrayContaining(['web-bridge-1', 'web-bridge-2', 'web-default']));
  });

  it('round-trips a snapshot through a file and names the same', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bs-topo-'));
    const file = join(dir, 'x.pcap.topology.json');
    await writeFile(file, JSON.stringify(t));
    const back = await loadSnapshotFile(file);
    expect(back).toEqual(t);
    const [a, b] = [new TopologyResolver(t), new TopologyResolver(back)];
    for (const e of t.endpoints) {
      expect(b.byMac(macToNumber(e.mac!))).toEqual(a.byMac(macToNumber(e.mac!)));
      expect(b.byIpv4(ipv4ToNumber(e.ipv4!))?.label).toBe(e.container);
    }
  });

  it('resolves capture targets by container, network and interface name', async () => {
    const one = t.endpoints.find((e) => e.container === 'web-bridge-1')!;
    const br = t.bridges.find((b) => b.network === 'br_xx')!;
    expect((await resolveTarget('web-bridge-1')).interfaces).toEqual([one.hostVeth]);
    expect(await resolveTarget('br_xx')).toMatchObject({ interfaces: [br.name], description: `network br_xx on ${br.name}` });
    expect((await resolveTarget('bridge')).interfaces).toEqual(['docker0']);
    expect((await resolveTarget('lo')).interfaces).toEqual(['lo']);
    const err = await resolveTarget('web-bridge-3').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnknownTargetError);
    expect((err as UnknownTargetError).suggestions).toEqual(expect.arrayContaining(['web-bridge-1', 'web-bridge-2']));
    expect((err as Error).message).toMatch(/^web-bridge-3 is not a container, Docker network or interface; did you mean/);
  });

  it('lab down removes only labelled objects', async () => {
    const client = new DockerClient();
    const foreign = { [LAB_LABEL]: 'test-foreign' };
    const old = await client.call('list', (d) => d.listNetworks({ filters: JSON.stringify({ label: [`${LAB_LABEL}=test-foreign`] }) }));
    for (const n of old) await client.call('rm', (d) => d.getNetwork(n.Id).remove());
    const net = await client.call('create', (d) => d.createNetwork({ Name: 'bs-foreign-test', Driver: 'bridge', Labels: foreign }));
    try {
      const removedBefore = await labDown({ client });
      expect(removedBefore).toEqual(expect.arrayContaining(['web-bridge-1', 'web-bridge-2', 'web-default', 'br_xx']));
      expect(removedBefore).not.toContain('bs-foreign-test');
      expect(inspect('network', net.id).Name).toBe('bs-foreign-test');
    } finally {
      await client.call('rm', (d) => d.getNetwork(net.id).remove());
      await seedLabUp();
    }
  });
});
