import { readdirSync, readFileSync } from 'node:fs';
import type { HostInterface } from '../model/topology.js';
import { readBridgePorts, readHostInterfaces } from '../host/host-net.js';
import { UnknownInterfaceError } from './errors.js';
import { closeMatches } from '../close-matches.js';

/**
 * Which interfaces can be captured on, and what they are. Names and ifindexes come from
 * /sys/class/net (no process spawned, cheap enough for every open); kinds, masters and veth peers
 * from iproute2's netlink view (readHostInterfaces), bridge ports from /sys/class/net/X/brif.
 */

export interface CaptureCandidate extends HostInterface {
  /** For a bridge: its ports (veths and others), sorted. Empty otherwise. */
  ports: string[];
}

const SYS_NET = '/sys/class/net';

export function interfaceNames(): string[] {
  return readdirSync(SYS_NET).sort();
}

/** The host ifindex of an interface, or undefined when it does not exist (now). */
export function hostIfIndex(name: string): number | undefined {
  try {
    return Number(readFileSync(`${SYS_NET}/${name}/ifindex`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Every interface with its kind, master, peer and (for bridges) ports. */
export async function listCaptureInterfaces(): Promise<CaptureCandidate[]> {
  const all = await readHostInterfaces();
  return Promise.all(
    all.map(async (i) => ({ ...i, ports: i.kind === 'bridge' ? await readBridgePorts(i.name) : [] })),
  );
}

/**
 * The ifindex of `name`; throws UnknownInterfaceError with the closest names when there is no
 * such interface. `/` and `..` never reach the filesystem as a path.
 */
export function requireInterface(name: string): number {
  const index = /^[^/\0]+$/.test(name) && name !== '.' && name !== '..' ? hostIfIndex(name) : undefined;
  if (index === undefined || Number.isNaN(index)) {
    throw new UnknownInterfaceError(name, closeMatches(name, interfaceNames()));
  }
  return index;
}
