import { readFile } from 'node:fs/promises';

/**
 * Whether frames crossing a Linux bridge pass iptables: br_netfilter loaded (its sysctls exist)
 * and bridge-nf-call-iptables set (bridge-nf-call-ip6tables for IPv6 frames and ip6tables).
 * When either is off, no FORWARD rule sees bridged traffic of that family.
 */
export interface BridgeNetfilter {
  loaded: boolean;
  callIptables?: boolean;
  callIp6tables?: boolean;
}

export async function readBridgeNetfilter(procRoot = '/proc'): Promise<BridgeNetfilter> {
  const flag = async (name: string) => (await readFile(`${procRoot}/sys/net/bridge/${name}`, 'utf8')).trim() === '1';
  try {
    return { loaded: true, callIptables: await flag('bridge-nf-call-iptables'), callIp6tables: await flag('bridge-nf-call-ip6tables').catch(() => undefined) };
  } catch {
    return { loaded: false };
  }
}
