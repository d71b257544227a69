import { inNetns } from './netns.js';

/** The IPv6 addresses a network namespace really holds, as its kernel says (not as Docker recorded them). */
export interface NetnsIpv6 {
  /** Every address on every interface, as `ip -6 addr` prints it (no prefix length). */
  addresses: string[];
  /** net.ipv6.conf.all.disable_ipv6 inside the namespace. */
  disabled?: boolean;
  /** Why the namespace could not be read, when it could not. */
  error?: string;
}

export async function readNetnsIpv6(pid: number): Promise<NetnsIpv6> {
  const [addr, sysctl] = await Promise.all([
    inNetns(pid, ['ip', '-6', '-j', 'addr', 'show']),
    inNetns(pid, ['cat', '/proc/sys/net/ipv6/conf/all/disable_ipv6']),
  ]);
  const disabled = sysctl.code === 0 ? sysctl.stdout.trim() === '1' : undefined;
  if (addr.code !== 0) return { addresses: [], disabled, error: `ip -6 addr in its namespace failed: ${(addr.stderr || addr.stdout).trim().split('\n')[0]}` };
  try {
    const links = JSON.parse(addr.stdout || '[]') as Array<{ addr_info?: Array<{ local?: string }> }>;
    return { addresses: links.flatMap((l) => (l.addr_info ?? []).map((a) => a.local).filter((x): x is string => typeof x === 'string')), disabled };
  } catch {
    return { addresses: [], disabled, error: 'ip -6 -j addr printed no JSON' };
  }
}
