import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { TEST_IMAGE, ensureTestImage, waitFor } from './docker-lab.js';

/**
 * Two Docker hosts on one machine: a dockerd in each of two network namespaces, joined by veths to
 * an underlay bridge of the test's own (10.231.0.0/24, its own subnet: see DESIGN.md), in a Swarm
 * with an attachable overlay and one container on each. A ping between the containers crosses the
 * underlay as VXLAN. dockerd is entered with `nsenter --net=` (`ip netns exec` remounts /sys and
 * dockerd then fails: "Devices cgroup isn't mounted"). The machine's own dockerd is not touched.
 */
export const TWO_HOSTS = {
  underlay: 'bs-ul0',
  underlayIp: '10.231.0.1/24',
  overlay: 'bs-ovnet',
  subnet: '10.0.9.0/24',
  label: 'bridgescope.lab=multihost',
  hosts: [
    { name: 'bs-dh1', ip: '10.231.0.11', container: 'bs-alpha' },
    { name: 'bs-dh2', ip: '10.231.0.12', container: 'bs-beta' },
  ],
} as const;

const LAB_ROOT = '/tmp/bs-multihost';
const root = (host: string) => `${LAB_ROOT}/${host}`;
export const socketOf = (host: string) => `/run/${host}.sock`;
export const pidfileOf = (host: string) => `/run/${host}.pid`;
const FORWARD_RULE = ['FORWARD', '-i', TWO_HOSTS.underlay, '-o', TWO_HOSTS.underlay, '-j', 'ACCEPT'];

function sh(cmd: string, args: string[], input?: Buffer): string {
  return execFileSync(cmd, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000 });
}
const quiet = (cmd: string, args: string[]) => {
  try {
    sh(cmd, args);
  } catch {
    // Teardown of what may not exist.
  }
};
export const dockerOn = (host: string, args: string[]) => sh('docker', ['-H', `unix://${socketOf(host)}`, ...args]).trim();

export interface TwoHostLab {
  /** The containers' overlay addresses, by container name. */
  ips: Record<string, string>;
  vni: number;
}

export async function twoHostLabUp(): Promise<TwoHostLab> {
  await twoHostLabDown();
  ensureTestImage();
  const t = TWO_HOSTS;
  sh('ip', ['link', 'add', t.underlay, 'type', 'bridge']);
  sh('ip', ['addr', 'add', t.underlayIp, 'dev', t.underlay]);
  sh('ip', ['link', 'set', t.underlay, 'up']);
  // The host's dockerd set FORWARD to DROP, and br_netfilter sends bridged frames through it.
  sh('iptables', ['-I', ...FORWARD_RULE]);
  for (const h of t.hosts) {
    sh('ip', ['netns', 'add', h.name]);
    sh('ip', ['link', 'add', `${h.name}-u`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', h.name]);
    sh('ip', ['link', 'set', `${h.name}-u`, 'master', t.underlay, 'up']);
    sh('ip', ['-n', h.name, 'addr', 'add', `${h.ip}/24`, 'dev', 'eth0']);
    sh('ip', ['-n', h.name, 'link', 'set', 'eth0', 'up']);
    sh('ip', ['-n', h.name, 'link', 'set', 'lo', 'up']);
    mkdirSync(`${root(h.name)}/data`, { recursive: true });
    mkdirSync(`${root(h.name)}/exec`, { recursive: true });
    const log = openSync(`${root(h.name)}/dockerd.log`, 'a');
    spawn('nsenter', [`--net=/run/netns/${h.name}`, 'dockerd', '--data-root', `${root(h.name)}/data`, '--exec-root', `${root(h.name)}/exec`,
      '-H', `unix://${socketOf(h.name)}`, '--pidfile', pidfileOf(h.name)], { detached: true, stdio: ['ignore', log, log] }).unref();
  }
  for (const h of t.hosts) {
    await waitFor(`dockerd ${h.name}`, () => {
      try {
        return dockerOn(h.name, ['info', '--format', '{{.ServerVersion}}']) || undefined;
      } catch {
        return undefined;
      }
    }, 60_000);
  }
  const [m, w] = t.hosts;
  dockerOn(m.name, ['swarm', 'init', '--advertise-addr', m.ip]);
  const token = dockerOn(m.name, ['swarm', 'join-token', '-q', 'worker']);
  dockerOn(w.name, ['swarm', 'join', '--token', token, '--advertise-addr', w.ip, `${m.ip}:2377`]);
  // No registry: each daemon gets the test image from the machine's own.
  const image = execFileSync('docker', ['save', TEST_IMAGE], { maxBuffer: 64 << 20 });
  for (const h of t.hosts) sh('docker', ['-H', `unix://${socketOf(h.name)}`, 'load', '-q'], image);
  dockerOn(m.name, ['network', 'create', '-d', 'overlay', '--attachable', '--subnet', t.subnet, '--label', t.label, t.overlay]);
  const ips: Record<string, string> = {};
  for (const h of t.hosts) {
    dockerOn(h.name, ['run', '-d', '--name', h.container, '--label', t.label, '--network', t.overlay, TEST_IMAGE, 'sleep', '1000000']);
    ips[h.container] = dockerOn(h.name, ['inspect', '-f', `{{(index .NetworkSettings.Networks "${t.overlay}").IPAddress}}`, h.container]);
  }
  const vni = Number(dockerOn(m.name, ['network', 'inspect', '-f', '{{index .Options "com.docker.network.driver.overlay.vxlanid_list"}}', t.overlay]));
  return { ips, vni };
}

/** Stops the lab's daemons (theirs only, by pidfile), removes their namespaces, roots, bridge and rule. */
export async function twoHostLabDown(): Promise<void> {
  for (const h of TWO_HOSTS.hosts) {
    if (!existsSync(pidfileOf(h.name))) continue;
    const pid = Number(readFileSync(pidfileOf(h.name), 'utf8'));
    try {
      process.kill(pid, 'SIGTERM');
      await waitFor(`dockerd ${h.name} to stop`, () => (existsSync(`/proc/${pid}`) ? undefined : true), 30_000);
    } catch {
      // Already gone.
    }
  }
  for (const h of TWO_HOSTS.hosts) {
    // Overlay namespaces and layers the daemon mounted under its roots, should it not have unmounted them.
    const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1]).filter((p) => p?.startsWith(root(h.name)));
    for (const p of mounts.reverse()) quiet('umount', ['-l', p]);
    quiet('ip', ['netns', 'del', h.name]);
    rmSync(root(h.name), { recursive: true, force: true });
    rmSync(socketOf(h.name), { force: true });
    rmSync(pidfileOf(h.name), { force: true });
  }
  rmSync(LAB_ROOT, { recursive: true, force: true });
  quiet('ip', ['link', 'del', TWO_HOSTS.underlay]);
  while (true) {
    try {
      sh('iptables', ['-C', ...FORWARD_RULE]);
      sh('iptables', ['-D', ...FORWARD_RULE]);
    } catch {
      break;
    }
  }
}
