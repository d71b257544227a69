import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ipv4ToNumber, macToNumber } from '../../src/annotate/address.js';
import { GATEWAY_LABEL } from '../../src/annotate/topology-resolver.js';
import { DockerClient } from '../../src/docker/client.js';
import { LiveResolver } from '../../src/docker/live-resolver.js';
import { describeLive } from '../support/live.js';
import { runLabContainer, seedLabDown, seedLabUp, waitFor } from '../lab/docker-lab.js';
import { SocketProxy } from '../lab/socket-proxy.js';

const ip = (s: string) => ipv4ToNumber(s);

describeLive('live resolver on the seed lab', { root: true, docker: true, tools: ['tcpdump'] }, () => {
  beforeAll(async () => {
    await seedLabUp();
  });
  afterAll(async () => {
    await seedLabDown();
  });

  it('names containers started later, once per container lifetime, with history', async () => {
    const client = new DockerClient();
    const notices: string[] = [];
    const live = await LiveResolver.start({ client, onNotice: (m) => notices.push(m) });
    try {
      expect(live.connected).toBe(true);
      expect(live.byIpv4(ip('172.30.0.10'))?.label).toBe('web-bridge-1');
      expect(live.byIpv4(ip('172.30.0.1'))?.label).toBe(GATEWAY_LABEL);
      expect(live.byIpv4(ip('172.30.0.12'))).toBeUndefined();

      const callsBefore = client.calls;
      const late = await runLabContainer('web-late', { network: 'br_xx', ipv4: '172.30.0.12' });
      const named = await waitFor('web-late named', () => live.byIpv4(ip('172.30.0.12')));
      await live.settled();
      expect(named).toMatchObject({ label: 'web-late', network: 'br_xx', kind: 'container' });
      expect(named.hostVeth).toMatch(/^veth/);
      // One inspect for the new container; lookups never call Docker.
      expect(client.calls - callsBefore).toBe(1);
      const mac = macToNumber(named.mac!);
      for (let i = 0; i < 100_000; i++) live.byMac(mac);
      expect(client.calls - callsBefore).toBe(1);

      const whileAlone = Date.now() / 1000;
      await runLabContainer('web-side', { networkMode: 'container:web-late' });
      await waitFor('sidecar label', () => (live.byIpv4(ip('172.30.0.12'))?.label === 'web-late (+web-side)' ? true : undefined));
      expect(live.byIpv4(ip('172.30.0.12'), whileAlone)?.label).toBe('web-late');

      const beforeStop = Date.now() / 1000;
      await late.stop({ t: 0 });
      await waitFor('web-late gone', () => (live.byIpv4(ip('172.30.0.12')) ? undefined : true));
      const stopped = live.byMac(mac, beforeStop);
      expect(stopped?.label).toBe('web-late (+web-side)');
      expect(stopped?.container).toBe('web-late');
      expect(stopped?.sharedWith?.map((s) => s.name)).toEqual(['web-side']);
      // Stopped, still listed with its state; no longer named on the wire.
      expect(live.snapshot()?.containers.find((c) => c.name === 'web-late')?.state).toBe('exited');
      expect(notices).toEqual([]);
    } finally {
      await live.close();
    }
  });

  it('says once when Docker goes away, keeps old names, and names again when it is back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bs-proxy-'));
    const proxy = new SocketProxy(join(dir, 'docker.sock'));
    await proxy.start();
    const client = new DockerClient(new Docker({ socketPath: proxy.path }));
    const notices: string[] = [];
    const live = await LiveResolver.start({ client, onNotice: (m) => notices.push(m), backoff: { minMs: 50, maxMs: 200 } });
    try {
      expect(live.byIpv4(ip('172.30.0.11'))?.label).toBe('web-bridge-2');
      await proxy.stop();
      await waitFor('disconnect', () => (live.connected ? undefined : true));
      await new Promise((r) => setTimeout(r, 600)); // several failed retries, still one notice
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(/frames keep addresses until Docker is back/);
      expect(live.byIpv4(ip('172.30.0.11'))?.label).toBe('web-bridge-2');

      await runLabContainer('web-outage', { network: 'br_xx', ipv4: '172.30.0.13' });
      await proxy.start();
      await waitFor('reconnect', () => (live.connected ? true : undefined));
      expect(notices).toHaveLength(2);
      expect(notices[1]).toMatch(/Docker is back/);
      expect(live.byIpv4(ip('172.30.0.13'))?.label).toBe('web-outage');
    } finally {
      await live.close();
      await proxy.stop();
    }
  });
});
