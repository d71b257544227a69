import { execFileSync } from 'node:child_process';

/**
 * Empties a container's ARP cache so the next ping starts with an ARP exchange. `docker exec
 * --privileged ip neigh flush` is refused where the daemon may not grant capabilities (seen here:
 * "unable to apply caps"), so the host's `ip` runs inside the container's network namespace.
 */
export function flushContainerNeighbours(...containers: string[]): void {
  for (const c of containers) {
    const pid = execFileSync('docker', ['inspect', '-f', '{{.State.Pid}}', c], { encoding: 'utf8' }).trim();
    execFileSync('nsenter', ['-t', pid, '-n', 'ip', 'neigh', 'flush', 'all'], { stdio: 'ignore' });
  }
}
