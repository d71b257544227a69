import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAB_LABEL, LAB_LABEL_VALUE } from '../../src/docker/lab.js';
import { ensureTestImage, TEST_IMAGE } from '../lab/docker-lab.js';

/**
 * The trace tests' own lab: networks on 172.31.60-62.0/24 (no other test uses them), every object
 * labelled LAB_LABEL so seedLabDown removes it, faults made and undone by the tests themselves.
 */
export const NOPING_IMAGE = 'bridgescope-noping:latest';

const docker = (...args: string[]) => execFileSync('docker', args, { encoding: 'utf8', timeout: 60_000 }).trim();
const label = ['--label', `${LAB_LABEL}=${LAB_LABEL_VALUE}`];

/** An image with busybox but no ping applet: only a trace that brings its own ping can use it. */
export function ensureNoPingImage(): void {
  try {
    docker('image', 'inspect', NOPING_IMAGE);
    return;
  } catch {
    // not built yet
  }
  const root = mkdtempSync(join(tmpdir(), 'bs-noping-'));
  try {
    mkdirSync(join(root, 'bin'));
    for (const d of ['proc', 'sys', 'dev', 'etc', 'tmp']) mkdirSync(join(root, d));
    copyFileSync('/bin/busybox', join(root, 'bin/busybox'));
    for (const applet of ['sh', 'sleep', 'ls', 'cat']) symlinkSync('busybox', join(root, 'bin', applet));
    writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/:/bin/sh\n');
    execFileSync('sh', ['-c', `tar -C "${root}" -c . | docker import --change 'ENV PATH=/bin' --change 'LABEL ${LAB_LABEL}=image' - ${NOPING_IMAGE}`], { stdio: 'ignore' });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export function network(name: string, subnet: string, opts: string[] = []): void {
  docker('network', 'create', ...label, '--subnet', subnet, ...opts, name);
}

export function container(name: string, net: string, ip: string | undefined, image = TEST_IMAGE): void {
  docker('run', '-d', ...label, '--name', name, ...(net.startsWith('container:') ? [] : ['--ip', ip!]), '--network', net, image, 'sleep', '1000000');
}

export const pidOf = (name: string): string => docker('inspect', '-f', '{{.State.Pid}}', name);

/** The host veth of a container's eth0, found from its iflink (as bridgescope does). */
export function hostVeth(name: string): string {
  const iflink = execFileSync('cat', [`/proc/${pidOf(name)}/root/sys/class/net/eth0/iflink`], { encoding: 'utf8' }).trim();
  const link = JSON.parse(execFileSync('ip', ['-j', 'link', 'show'], { encoding: 'utf8' })) as Array<{ ifindex: number; ifname: string }>;
  return link.find((l) => l.ifindex === Number(iflink))!.ifname;
}

export const run = (argv: string[]): string => execFileSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 30_000 });

/** Runs `body` with a fault in place and always undoes it, even when `body` throws. */
export async function withFault<T>(make: string[], undo: string[], body: () => Promise<T>): Promise<T> {
  run(make);
  try {
    return await body();
  } finally {
    run(undo);
  }
}

export { docker, ensureTestImage };
