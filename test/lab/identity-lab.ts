import type Docker from 'dockerode';
import { dockerClient } from '../../src/docker/client.js';
import { LAB_LABEL, LAB_LABEL_VALUE } from '../../src/docker/lab.js';
import { ensureTestImage, seedLabDown, TEST_IMAGE } from './docker-lab.js';

/**
 * A lab for every way a container can be named: `alpha-web` carries compose labels (project
 * shop, service web; set through the API, no compose binary), `beta-db` sits on two networks with
 * the alias `database`, `delta-sidecar` joined alpha-web's namespace (`--network container:`).
 * Own subnets (no overlap with Docker's or the seed's), everything labelled like the seed lab so
 * seedLabDown removes it, before and after.
 */
export const IDENTITY_LAB = {
  shop: { name: 'bs-shop', subnet: '172.29.0.0/16', gateway: '172.29.0.1' },
  admin: { name: 'bs-admin', subnet: '172.28.0.0/16', gateway: '172.28.0.1' },
  web: { name: 'alpha-web', ipv4: '172.29.0.10', compose: { project: 'shop', service: 'web' } },
  db: { name: 'beta-db', ipv4: '172.29.0.20', adminIpv4: '172.28.0.20', alias: 'database' },
  sidecar: { name: 'delta-sidecar' },
} as const;

export interface IdentityLab {
  web: { id: string };
  db: { id: string };
  sidecar: { id: string };
}

const labels = { [LAB_LABEL]: LAB_LABEL_VALUE };

export async function identityLabUp(): Promise<IdentityLab> {
  ensureTestImage();
  await seedLabDown();
  const client = dockerClient();
  const L = IDENTITY_LAB;
  for (const net of [L.shop, L.admin]) {
    await client.call(`create network ${net.name}`, (d) =>
      d.createNetwork({
        Name: net.name,
        Driver: 'bridge',
        CheckDuplicate: true,
        Labels: labels,
        IPAM: { Driver: 'default', Config: [{ Subnet: net.subnet, Gateway: net.gateway }] },
      }),
    );
  }
  const run = async (name: string, opts: Partial<Docker.ContainerCreateOptions>): Promise<Docker.Container> => {
    const c = await client.call(`create ${name}`, (d) =>
      d.createContainer({ name, Image: TEST_IMAGE, Cmd: ['sleep', '1000000'], ...opts, Labels: { ...labels, ...opts.Labels } }),
    );
    await client.call(`start ${name}`, () => c.start());
    return c;
  };
  const web = await run(L.web.name, {
    Labels: { 'com.docker.compose.project': L.web.compose.project, 'com.docker.compose.service': L.web.compose.service },
    HostConfig: { NetworkMode: L.shop.name },
    NetworkingConfig: { EndpointsConfig: { [L.shop.name]: { IPAMConfig: { IPv4Address: L.web.ipv4 } } } },
  });
  const db = await run(L.db.name, {
    HostConfig: { NetworkMode: L.shop.name },
    NetworkingConfig: { EndpointsConfig: { [L.shop.name]: { IPAMConfig: { IPv4Address: L.db.ipv4 }, Aliases: [L.db.alias] } } },
  });
  await client.call(`connect ${L.db.name} to ${L.admin.name}`, (d) =>
    d.getNetwork(L.admin.name).connect({ Container: db.id, EndpointConfig: { IPAMConfig: { IPv4Address: L.db.adminIpv4 }, Aliases: [L.db.alias] } }),
  );
  const sidecar = await run(L.sidecar.name, { HostConfig: { NetworkMode: `container:${L.web.name}` } });
  return { web: { id: web.id }, db: { id: db.id }, sidecar: { id: sidecar.id } };
}

export const identityLabDown = seedLabDown;
