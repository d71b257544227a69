import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './docker-lab.js';
import { TWO_HOSTS, socketOf } from './two-host-lab.js';

/**
 * An OpenSSH server in each host namespace of the two-host lab (two-host-lab.ts), listening only
 * on that namespace's underlay address, with keys the lab makes in a temp folder: a client key
 * (authorized for root), a host key (written into the client's known_hosts), an sshd_config per
 * host whose sessions get DOCKER_HOST set to that host's daemon (sshd's SetEnv), so `docker` there
 * answers for that host, and a PATH that begins with a folder of that host's own (empty until
 * `installBridgescope` puts a `bridgescope` there), and an ssh_config naming each host by its lab
 * name. Nothing under ~/.ssh or /etc/ssh is touched; the servers are killed by pid (theirs and
 * their sessions').
 */
export interface SshLab {
  dir: string;
  /** The client's ssh_config: `Host bs-dh1` ... with the key, known_hosts and a 1 s keepalive. */
  config: string;
}

const SSHD = '/usr/sbin/sshd';
const pidfile = (dir: string, host: string) => join(dir, `sshd-${host}.pid`);
const binOf = (dir: string, host: string) => join(dir, `bin-${host}`);
const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export async function sshLabUp(): Promise<SshLab> {
  const dir = mkdtempSync(join(tmpdir(), 'bridgescope-ssh-'));
  const keygen = (file: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bridgescope-test', '-f', join(dir, file)]);
  keygen('client');
  keygen('host');
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client.pub')));
  const hostKey = readFileSync(join(dir, 'host.pub'), 'utf8').split(' ').slice(0, 2).join(' ');
  writeFileSync(join(dir, 'known_hosts'), TWO_HOSTS.hosts.map((h) => `${h.ip} ${hostKey}\n`).join(''));
  // sshd's privilege separation directory, which the package's service would make.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  for (const h of TWO_HOSTS.hosts) {
    mkdirSync(binOf(dir, h.name));
    const conf = join(dir, `sshd-${h.name}.conf`);
    writeFileSync(conf, [
      `ListenAddress ${h.ip}:22`,
      `HostKey ${join(dir, 'host')}`,
      `PidFile ${pidfile(dir, h.name)}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      // The temp folder is root's but world-readable like /tmp's children; the key files are ours.
      'StrictModes no',
      `SetEnv DOCKER_HOST=unix://${socketOf(h.name)} PATH=${binOf(dir, h.name)}:${SYSTEM_PATH}`,
      '',
    ].join('\n'));
    spawn('nsenter', [`--net=/run/netns/${h.name}`, SSHD, '-f', conf, '-E', join(dir, `sshd-${h.name}.log`)], { stdio: 'ignore', detached: true }).unref();
  }
  const config = join(dir, 'ssh_config');
  writeFileSync(config, [
    ...TWO_HOSTS.hosts.flatMap((h) => [`Host ${h.name}`, `  HostName ${h.ip}`]),
    'Host *',
    '  User root',
    `  IdentityFile ${join(dir, 'client')}`,
    '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${join(dir, 'known_hosts')}`,
    '  StrictHostKeyChecking yes',
    '  ConnectTimeout 5',
    // A lost link is noticed within about 3 s.
    '  ServerAliveInterval 1',
    '  ServerAliveCountMax 2',
    '',
  ].join('\n'));
  for (const h of TWO_HOSTS.hosts) {
    await waitFor(`sshd on ${h.name}`, () => {
      try {
        return execFileSync('ssh', ['-F', config, '-o', 'BatchMode=yes', h.name, 'echo ok'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 }).trim() === 'ok' || undefined;
      } catch {
        return undefined;
      }
    }, 20_000);
  }
  return { dir, config };
}

/**
 * Puts `bridgescope` on `host`'s PATH (a script running this Node on `cli`, the built
 * dist/cli/main.js), or takes it away (`cli` undefined): the remote then has only tcpdump.
 */
export function installBridgescope(lab: SshLab, host: string, cli: string | undefined): void {
  const file = join(binOf(lab.dir, host), 'bridgescope');
  if (cli === undefined) rmSync(file, { force: true });
  else writeFileSync(file, `#!/bin/sh\nexec '${process.execPath}' '${cli}' "$@"\n`, { mode: 0o755 });
}

/** The listener of `host`'s sshd, from its pidfile. */
export function sshdPid(lab: SshLab, host: string): number | undefined {
  const f = pidfile(lab.dir, host);
  return existsSync(f) ? Number(readFileSync(f, 'utf8')) : undefined;
}

/** Every process descended from `pid` (an sshd's sessions and what they run), deepest first. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(e)]);
    } catch {
      // Gone meanwhile.
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      walk(c);
      out.push(c);
    }
  };
  walk(pid);
  return out;
}

/** Kills `host`'s sshd and its sessions (a remote whose ssh server went away). */
export function killSshd(lab: SshLab, host: string): void {
  const pid = sshdPid(lab, host);
  if (pid === undefined) return;
  for (const p of [...descendants(pid), pid]) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

export function sshLabDown(lab: SshLab | undefined): void {
  if (!lab) return;
  for (const h of TWO_HOSTS.hosts) killSshd(lab, h.name);
  rmSync(lab.dir, { recursive: true, force: true });
}
