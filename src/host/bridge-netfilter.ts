import { readFile } from 'node:fs/promises';

/**
 * Whether frames crossing a Linux bridge pass iptables: br_netfilter loaded (its sysctls exist)
 * and bridge-nf-call-iptables set. When either is off, no FORWARD rule sees bridged traffic.
 */
export interface BridgeNetfilter {
  loaded: boolean;
  callIptables?: boolean;
}

export async function readBridgeNetfilter(procRoot = '/proc'): Promise<BridgeNetfilter> {
  try {
    const v = await readFile(`${procRoot}/sys/net/bridge/bridge-nf-call-iptables`, 'utf8');
    return { loaded: true, callIptables: v.trim() === '1' };
  } catch {
    return { loaded: false };
  }
}
