import type { NetnsIpv6 } from '../host/netns-ipv6.js';
import { ipv6Key } from './trace-ipv6-plan.js';
import type { TracePlan } from './trace-plan.js';

/**
 * Under `trace -6`, what B's own kernel holds: Docker records a global address for every
 * endpoint of a dual-stack network, but a container whose IPv6 is off (a sysctl, an image that
 * removes it) holds none, and then no neighbor solicitation for it is ever answered.
 */
export function ipv6TargetReason(plan: TracePlan, held: NetnsIpv6 | undefined): { code: 'no-address'; text: string } | undefined {
  if (plan.family !== 6 || !plan.to || !plan.toIp || !held || held.error) return undefined;
  if (held.addresses.some((a) => ipv6Key(a) === plan.toIp)) return undefined;
  const listed = held.addresses.length ? `lists only ${held.addresses.join(', ')}` : 'lists no IPv6 address';
  const off = held.disabled ? ' (IPv6 is disabled there: net.ipv6.conf.all.disable_ipv6=1)' : '';
  return {
    code: 'no-address',
    text: `Docker gave ${plan.to.name} ${plan.toIp}, but ${plan.to.name}'s namespace does not hold it: ip -6 addr there ${listed}${off}, so nothing answers for ${plan.toIp}`,
  };
}
