import type { DockerClient } from '../docker/client.js';
import { execInContainer } from '../docker/exec.js';
import { BridgescopeError } from '../errors.js';
import { inNetns, netnsUnavailable } from '../host/netns.js';
import type { ContainerInfo } from '../model/topology.js';

export interface PingOptions {
  count: number;
  /** Seconds between echo requests. */
  intervalS: number;
  /** ICMP payload bytes (ping -s). */
  size: number;
  /** Seconds to wait for a reply. */
  timeoutS: number;
}

/** netns: the host's ping inside A's network namespace; exec: the container's own ping through Docker. */
export type PingVia = 'netns' | 'exec';

export interface PingRun {
  via: PingVia;
  /** Why the host's ping could not be used, when the container's was. */
  fallback?: string;
  argv: string[];
  exitCode: number;
  output: string;
  transmitted?: number;
  received?: number;
}

/** Both iputils and busybox print "N packets transmitted, M (packets )received". */
const STATS = /(\d+) packets transmitted, (\d+) (?:packets )?received/;

/**
 * iputils (the host's) waits -W per reply and stops after -c requests; given -w it would keep
 * sending until -c replies came. busybox waits 10 s after the last request unless -w bounds it.
 */
function pingArgv(ip: string, o: PingOptions, iputils: boolean): string[] {
  const common = [...(ip.includes(':') ? ['-6'] : []), '-c', String(o.count), '-i', String(o.intervalS), '-s', String(o.size), '-W', String(o.timeoutS)];
  if (iputils) return ['ping', '-n', ...common, ip];
  return ['ping', ...common, '-w', String(Math.ceil(o.count * o.intervalS + o.timeoutS + 1)), ip];
}

/**
 * Sends the echo requests from A's network namespace: with the host's ping entered from the
 * host when it can (images without ping work, no capability needed inside), else with the
 * container's own ping through Docker's exec API. `via` forces one way.
 */
export async function pingFrom(client: DockerClient, from: ContainerInfo, ip: string, o: PingOptions, via?: PingVia): Promise<PingRun> {
  const why = via === 'exec' ? 'asked for' : from.pid === undefined ? `${from.name} has no process id` : await netnsUnavailable('ping');
  if (via === 'netns' && why) throw new BridgescopeError('BS_TRACE_NO_NETNS', `--via netns: cannot ping from ${from.name}'s namespace: ${why}`);
  if (!why && from.pid !== undefined) {
    const argv = pingArgv(ip, o, true);
    const r = await inNetns(from.pid, argv, (o.count * o.intervalS + o.timeoutS + 10) * 1000);
    return result('netns', argv, r.code, r.stdout + r.stderr);
  }
  const argv = pingArgv(ip, o, false);
  const r = await execInContainer(client, from.id, argv);
  return { ...result('exec', argv, r.exitCode, r.stdout + r.stderr), fallback: why };
}

function result(via: PingVia, argv: string[], exitCode: number, output: string): PingRun {
  const m = STATS.exec(output);
  return { via, argv, exitCode, output, transmitted: m ? Number(m[1]) : undefined, received: m ? Number(m[2]) : undefined };
}
