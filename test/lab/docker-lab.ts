import { execFileSync } from 'node:child_process';
import type Docker from 'dockerode';
import { dockerClient } from '../../src/docker/client.js';
import { LAB_LABEL, LAB_LABEL_VALUE, labDown, labUp, type LabState } from '../../src/docker/lab.js';

/**
 * The seed lab for live tests. Everything created here carries io.bridgescope.lab=seed, so
 * `labDown` (run before and after) clears leftovers of earlier runs and never touches anything
 * it did not make. The image is built locally by lab/build-image.sh; nothing is pulled.
 */
export const TEST_IMAGE = 'bridgescope-busybox:latest';

let imageBuilt = false;
export function ensureTestImage(): void {
  if (imageBuilt) return;
  execFileSync('sh', ['lab/build-image.sh'], { stdio: 'ignore', env: { ...process.env, IMAGE: TEST_IMAGE } });
  imageBuilt = true;
}

export async function seedLabUp(): Promise<LabState> {
  ensureTestImage();
  return labUp({ image: TEST_IMAGE });
}

export const seedLabDown = (): Promise<string[]> => labDown();

/** An extra labelled container (removed by seedLabDown); started unless `start: false`. */
export async function runLabContainer(
  name: string,
  opts: { network?: string; ipv4?: string; networkMode?: string; start?: boolean } = {},
): Promise<Docker.Container> {
  const client = dockerClient();
  const mode = opts.networkMode ?? opts.network ?? 'bridge';
  const container = await client.call(`create ${name}`, (d) =>
    d.createContainer({
      name,
      Image: TEST_IMAGE,
      Cmd: ['sleep', '1000000'],
      Labels: { [LAB_LABEL]: LAB_LABEL_VALUE },
      HostConfig: { NetworkMode: mode },
      NetworkingConfig:
        opts.network && opts.ipv4 ? { EndpointsConfig: { [opts.network]: { IPAMConfig: { IPv4Address: opts.ipv4 } } } } : undefined,
    }),
  );
  if (opts.start !== false) await container.start();
  return container;
}

/** `docker exec` of a command in a lab container, stdout as text. */
export function labExec(container: string, cmd: string[]): string {
  return execFileSync('docker', ['exec', container, ...cmd], { encoding: 'utf8', timeout: 30_000 });
}

export function ipJson<T>(args: string[]): T {
  return JSON.parse(execFileSync('ip', ['-j', ...args], { encoding: 'utf8' })) as T;
}

/** Resolves when `check` returns a value, polling; fails with `what` after `ms`. */
export async function waitFor<T>(what: string, check: () => T | undefined, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
