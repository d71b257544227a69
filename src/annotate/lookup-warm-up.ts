import { ArpOp, EtherType, FrameDecoder, IcmpType, IpProto, LinkType, emitArp, emitEthernet, emitIcmp, emitIpv4 } from '../decode/index.js';
import type { Resolver } from '../model/endpoint.js';
import { destinationEndpoint, sourceEndpoint } from './frame-names.js';

/** A host of the warm-up's own; `ip` 0 is a MAC-only sender (an ARP probe). */
export interface WarmUpHost {
  mac: number;
  ip: number;
}

/**
 * Two named hosts, one with an address below 2^31 (10/8, a small integer to V8) and one above
 * (172.16/12, Docker's default pools: a heap number), and one no snapshot names.
 */
export const WARM_UP_HOSTS = {
  low: { mac: 0x02_00_00_00_0a_01, ip: 0x0a_00_00_01 },
  high: { mac: 0x02_00_00_00_ac_01, ip: 0xac_10_00_01 },
  stranger: { mac: 0x02_00_00_00_ff_01, ip: 0x0a_00_00_63 },
} satisfies Record<string, WarmUpHost>;

/** More than the ~8 calls after which V8 gives a function the feedback vector it records into. */
const ROUNDS = 12;

/**
 * Names a ping's echo and ARP frames, and a stranger's, through `names` (a throwaway resolver
 * that knows WARM_UP_HOSTS.low and .high).
 *
 * Why: a capture's first frames run before V8 records anything, so a lookup path first taken
 * later (a flood's ARP refresh: the ARP branch, a MAC key that is not a small integer, a miss)
 * throws away the decode loop it was optimised into, and the optimiser compiles it all again.
 * Feedback is per function, not per resolver, so this leaves the record for the real one.
 */
export function warmUpLookups(names: Resolver): number {
  const { low, high, stranger } = WARM_UP_HOSTS;
  const frames = [arp(ArpOp.REQUEST, low, high), arp(ArpOp.REPLY, high, low), echo(IcmpType.ECHO_REQUEST, low, high), echo(IcmpType.ECHO_REPLY, high, low), echo(IcmpType.ECHO_REQUEST, stranger, low)];
  const decoder = new FrameDecoder();
  let named = 0;
  for (let r = 0; r < ROUNDS; r++) {
    for (const bytes of frames) {
      const f = decoder.decode(bytes, LinkType.ETHERNET);
      if (sourceEndpoint(f, names, 0)) named++;
      if (destinationEndpoint(f, names, 0)) named++;
    }
  }
  return named;
}

function arp(op: ArpOp, from: WarmUpHost, to: WarmUpHost): Uint8Array {
  const body = emitArp({ op, senderMac: from.mac, senderIp: from.ip, targetMac: op === ArpOp.REQUEST ? 0 : to.mac, targetIp: to.ip });
  return emitEthernet({ dst: op === ArpOp.REQUEST ? 0xff_ff_ff_ff_ff_ff : to.mac, src: from.mac, type: EtherType.ARP }, body);
}

function echo(type: IcmpType, from: WarmUpHost, to: WarmUpHost): Uint8Array {
  const icmp = emitIcmp({ type, identifier: 1, sequence: 1 }, new Uint8Array(56));
  return emitEthernet({ dst: to.mac, src: from.mac, type: EtherType.IPv4 }, emitIpv4({ src: from.ip, dst: to.ip, protocol: IpProto.ICMP }, icmp));
}
