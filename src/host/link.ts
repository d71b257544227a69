import { readFile } from 'node:fs/promises';

/** An interface's state as the kernel shows it in sysfs. */
export interface LinkState {
  name: string;
  /** RFC 2863 operstate: up, down, lowerlayerdown, dormant, unknown; absent when the link is gone. */
  operstate?: string;
  /** IFF_UP: the administrative state `ip link set X up/down` sets. */
  adminUp?: boolean;
  exists: boolean;
}

const IFF_UP = 0x1;

/**
 * Reads /sys/class/net/<name>; `sysRoot` lets a caller read another network namespace's view
 * through a process's root (/proc/<pid>/root/sys), which shows that process's namespace.
 */
export async function readLinkState(name: string, sysRoot = '/sys'): Promise<LinkState> {
  const base = `${sysRoot}/class/net/${name}`;
  try {
    const [operstate, flags] = await Promise.all([readFile(`${base}/operstate`, 'utf8'), readFile(`${base}/flags`, 'utf8')]);
    return { name, operstate: operstate.trim(), adminUp: (Number(flags.trim()) & IFF_UP) !== 0, exists: true };
  } catch {
    return { name, exists: false };
  }
}

/** Up for forwarding: administratively up and not reported down by the kernel. */
export const linkIsUp = (s: LinkState): boolean => s.exists && s.adminUp === true && s.operstate !== 'down' && s.operstate !== 'lowerlayerdown';
