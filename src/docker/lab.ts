import type Docker from 'dockerode';
import { DockerError } from './errors.js';
import { dockerClient, type DockerClient } from './client.js';

/**
 * The seed's experiment (../shared/seed): network br_xx 172.30.0.0/16 (gateway .1), web-bridge-1
 * (.10) and web-bridge-2 (.11) on it, web-default on the default bridge. Every object carries
 * LAB_LABEL so `labDown` removes only what `labUp` made, never a user's own objects.
 */
export const LAB_LABEL = 'io.bridgescope.lab';
export const LAB_LABEL_VALUE = 'seed';

export const SEED_LAB = {
  network: { name: 'br_xx', subnet: '172.30.0.0/16', gateway: '172.30.0.1' },
  containers: [
    { name: 'web-bridge-1', network: 'br_xx', ipv4: '172.30.0.10' },
    { name: 'web-bridge-2', network: 'br_xx', ipv4: '172.30.0.11' },
    { name: 'web-default', network: 'bridge', ipv4: undefined },
  ],
} as const;

export interface LabOptions {
  /** Image to run; it must already be present (nothing is pulled). Default `busybox`. */
  image?: string;
  /** Command each container runs; it must keep running. */
  cmd?: string[];
  client?: DockerClient;
}

export interface LabState {
  network: { id: string; name: string };
  containers: Array<{ id: string; name: string; ipv4?: string }>;
}

const labelFilter = JSON.stringify({ label: [`${LAB_LABEL}=${LAB_LABEL_VALUE}`] });

/** Removes every container and network labelled as ours; returns the names it removed. */
export async function labDown(opts: { client?: DockerClient } = {}): Promise<string[]> {
  const client = opts.client ?? dockerClient();
  const removed: string[] = [];
  const containers = await client.call('list lab containers', (d) =>
    d.listContainers({ all: true, filters: labelFilter }),
  );
  for (const c of containers) {
    await client.call(`remove container ${c.Id}`, (d) => d.getContainer(c.Id).remove({ force: true, v: true }));
    removed.push((c.Names[0] ?? c.Id).replace(/^\//, ''));
  }
  const networks = await client.call('list lab networks', (d) => d.listNetworks({ filters: labelFilter }));
  for (const n of networks) {
    await client.call(`remove network ${n.Name}`, (d) => d.getNetwork(n.Id).remove());
    removed.push(n.Name);
  }
  return removed;
}

/** Builds the seed lab, first removing labelled leftovers of an earlier run. */
export async function labUp(opts: LabOptions = {}): Promise<LabState> {
  const client = opts.client ?? dockerClient();
  const image = opts.image ?? 'busybox';
  const cmd = opts.cmd ?? ['sleep', '1000000'];
  await labDown({ client });
  await refuseForeign(client);
  await client.call(`inspect image ${image}`, (d) => d.getImage(image).inspect()).catch((err: unknown) => {
    if (err instanceof DockerError && err.code === 'BS_DOCKER_NOT_FOUND') {
      throw new DockerError(
        'BS_LAB_NO_IMAGE',
        `image ${image} is not present and bridgescope never pulls; run lab/build-image.sh and pass --image bridgescope-busybox`,
        undefined,
        { cause: err },
      );
    }
    throw err;
  });

  const labels = { [LAB_LABEL]: LAB_LABEL_VALUE };
  const net = SEED_LAB.network;
  const network = await client.call(`create network ${net.name}`, (d) =>
    d.createNetwork({
      Name: net.name,
      Driver: 'bridge',
      CheckDuplicate: true,
      Labels: labels,
      IPAM: { Driver: 'default', Config: [{ Subnet: net.subnet, Gateway: net.gateway }] },
    }),
  );

  const state: LabState = { network: { id: network.id, name: net.name }, containers: [] };
  for (const spec of SEED_LAB.containers) {
    const create: Docker.ContainerCreateOptions = {
      name: spec.name,
      Image: image,
      Cmd: [...cmd],
      Labels: labels,
      HostConfig: { NetworkMode: spec.network },
      NetworkingConfig: {
        EndpointsConfig: { [spec.network]: spec.ipv4 ? { IPAMConfig: { IPv4Address: spec.ipv4 } } : {} },
      },
    };
    const container = await client.call(`create container ${spec.name}`, (d) => d.createContainer(create));
    await client.call(`start container ${spec.name}`, () => container.start());
    state.containers.push({ id: container.id, name: spec.name, ipv4: spec.ipv4 });
  }
  return state;
}

/** An unlabelled object with one of our names belongs to the user: stop rather than touch it. */
async function refuseForeign(client: DockerClient): Promise<void> {
  const names: string[] = [SEED_LAB.network.name, ...SEED_LAB.containers.map((c) => c.name)];
  const containers = await client.listContainers(true);
  const networks = await client.listNetworks();
  const taken = [
    ...containers.flatMap((c) => c.Names.map((n) => n.replace(/^\//, ''))),
    ...networks.map((n) => n.Name),
  ].filter((n) => names.includes(n));
  if (taken.length > 0) {
    throw new DockerError(
      'BS_LAB_NAME_TAKEN',
      `${taken.join(', ')} already exist without the ${LAB_LABEL} label; remove them yourself or use another Docker host`,
    );
  }
}
