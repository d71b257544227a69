import { ArpOp, FrameDecoder, IcmpType, LinkType, emitArpFrame, emitEchoFrame, type HostAddress } from '../decode/index.js';
import type { Resolver } from '../model/endpoint.js';
import { destinationEndpoint, sourceEndpoint } from './frame-names.js';

/**
 * Two named hosts, one with an address below 2^31 (10/8, a small integer to V8) and one above
 * (172.16/12, Docker's default pools: a heap number), and one no snapshot names.
 */
export const WARM_UP_HOSTS = {
  low: { mac: 0x02_00_00_00_0a_01, ip: 0x0a_00_00_01 },
  high: { mac: 0x02_00_00_00_ac_01, ip: 0xac_10_00_01 },
  stranger: { mac: 0x02_00_00_00_ff_01, ip: 0x0a_00_00_63 },
} satisfies Record<string, HostAddress>;

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
  const frames = [
    emitArpFrame(ArpOp.REQUEST, low, high),
    emitArpFrame(ArpOp.REPLY, high, low),
    emitEchoFrame(IcmpType.ECHO_REQUEST, low, high, 1, 1),
    emitEchoFrame(IcmpType.ECHO_REPLY, high, low, 1, 1),
    emitEchoFrame(IcmpType.ECHO_REQUEST, stranger, low, 1, 1),
  ];
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
