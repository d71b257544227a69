import { isIPv4, isIPv6 } from 'node:net';
import { BridgescopeError } from '../errors.js';

/** Network-order bytes of an IPv4 (4) or IPv6 (16) address in text form. */
export function ipBytes(ip: string): Uint8Array {
  if (isIPv4(ip)) return Uint8Array.from(ip.split('.').map(Number));
  if (!isIPv6(ip) || ip.includes('.')) throw new BridgescopeError('BS_PCAP_BAD_ADDRESS', `not an IP address: ${ip}`);
  const [head, tail] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = parseInt(g, 16);
    out[2 * i] = n >> 8;
    out[2 * i + 1] = n & 0xff;
  });
  return out;
}
