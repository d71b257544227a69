import { ipv4ToNumber, macToNumber } from '../../src/annotate/address.js';
import type { Endpoint, Resolver } from '../../src/model/endpoint.js';

/** A fixed name table for tests: label -> { mac, ip }. */
export function namesFor(hosts: Record<string, { mac: string; ip: string }>): Resolver {
  const byMac = new Map<number, Endpoint>();
  const byIp = new Map<number, Endpoint>();
  for (const [label, h] of Object.entries(hosts)) {
    const e: Endpoint = { label, kind: 'container', container: label, mac: h.mac, ipv4: h.ip };
    byMac.set(macToNumber(h.mac), e);
    byIp.set(ipv4ToNumber(h.ip), e);
  }
  return { byMac: (m) => byMac.get(m), byIpv4: (i) => byIp.get(i), byIfIndex: () => undefined };
}
