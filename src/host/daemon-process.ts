import { readdir, readFile, readlink, realpath } from 'node:fs/promises';
import { basename } from 'node:path';

/** The `Flags` bit of a listening socket in /proc/net/unix (__SO_ACCEPTCON). */
const LISTENING = 0x10000;

/**
 * The pid of the dockerd on this machine that listens on the unix socket `socketPath`, or
 * undefined when none does (the socket is a forward of another machine's, or no daemon runs).
 * Each candidate's /proc/PID/net/unix is read, since a daemon in another network namespace
 * lists its sockets only there; the socket's inode must be among the process's own descriptors,
 * so of two daemons in one namespace only the one that holds it is taken.
 */
export async function dockerdListeningOn(socketPath: string): Promise<number | undefined> {
  const want = await realpath(socketPath).catch(() => socketPath);
  for (const pid of await dockerdPids()) {
    const inodes = await listeningInodes(pid, want);
    if (inodes.size === 0) continue;
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      const m = /^socket:\[(\d+)\]$/.exec(link);
      if (m && inodes.has(m[1])) return pid;
    }
  }
  return undefined;
}

async function dockerdPids(): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((d) => /^\d+$/.test(d));
  const named = await Promise.all(pids.map(async (p) => ((await readFile(`/proc/${p}/comm`, 'utf8').catch(() => '')).trim() === 'dockerd' ? Number(p) : undefined)));
  return named.filter((p): p is number => p !== undefined);
}

/** Inodes of the listening sockets bound to `path` in `pid`'s network namespace. */
async function listeningInodes(pid: number, path: string): Promise<Set<string>> {
  const text = await readFile(`/proc/${pid}/net/unix`, 'utf8').catch(() => '');
  const out = new Set<string>();
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8 || (parseInt(f[3], 16) & LISTENING) === 0) continue;
    // /var/run/docker.sock is bound as written; /var/run is a link to /run.
    if (basename(f[7]) !== basename(path)) continue;
    if ((await realpath(f[7]).catch(() => f[7])) === path) out.add(f[6]);
  }
  return out;
}
