import { ArpOp, FrameDecoder, IcmpType, LinkType, emitArpFrame, emitEchoFrame, type DecodedFrame, type HostAddress } from '../decode/index.js';

/** What the warm-up feeds: an analyzer of its own, thrown away after. */
export interface FrameObserver {
  observe(f: DecodedFrame, frameNo: number, tsSec: number, tsNsec: number, ifIndex?: number): void;
}

/**
 * Exchanges run: V8 gives a function its feedback vector (where it records what its operations
 * met) only after about 8 calls, so a path must be taken more often than that to leave a record.
 */
const ROUNDS = 12;
/**
 * Twice this is past twice the 1 s default timeout and the retirement batch, once is not: each
 * round retires the round before the one before, while the one before still holds a key.
 */
const ROUND_GAP_NS = 1.5e9;
const T0_SEC = 1_700_000_000;

/**
 * Runs ARP and ICMP echo exchanges, each between hosts of their own, through `analyzer`.
 *
 * Why: a capture's first frames run before V8 records anything, so paths taken there and not
 * again for a while (a flood's ARP exchange, a first lookup of a new key, a first retirement)
 * are missing from the record when the hot loop is optimised; when they come back, the optimised
 * code is thrown away and the large functions it inlined are optimised again. Feedback is per
 * function, not per instance, so a throwaway analyzer that takes these paths first leaves the
 * record the real one needs, and none of its state.
 */
export function warmUp(analyzer: FrameObserver): void {
  const decoder = new FrameDecoder();
  let frameNo = 0;
  const feed = (bytes: Uint8Array, sec: number, nsec: number) => analyzer.observe(decoder.decode(bytes, LinkType.ETHERNET), ++frameNo, sec, nsec, undefined);
  for (let r = 0; r < ROUNDS; r++) {
    const sec = T0_SEC + Math.floor((r * ROUND_GAP_NS) / 1e9);
    const ns = (r * ROUND_GAP_NS) % 1e9;
    const asker = { mac: 0x02_00_00_00_01_00 + r, ip: 0x0a_00_01_00 + r };
    const asked = { mac: 0x02_00_00_00_02_00 + r, ip: 0x0a_00_02_00 + r };
    feed(emitArpFrame(ArpOp.REQUEST, asker, asked), sec, ns + 1_000);
    feed(emitArpFrame(ArpOp.REPLY, asked, asker), sec, ns + 101_000);
    // A key of its own (its lookup table is made, then dropped), then one sharing the ping's
    // table with the other rounds' (kept, so retirement takes an entry out of a table in use).
    feed(emitEchoFrame(IcmpType.ECHO_REQUEST, asker, asked, 0x100 + r, r), sec, ns + 201_000);
    feed(emitEchoFrame(IcmpType.ECHO_REPLY, asked, asker, 0x100 + r, r), sec, ns + 301_000);
    feed(emitEchoFrame(IcmpType.ECHO_REQUEST, PINGER, asked, 1, r), sec, ns + 401_000);
    feed(emitEchoFrame(IcmpType.ECHO_REPLY, asked, PINGER, 1, r), sec, ns + 501_000);
  }
}

const PINGER: HostAddress = { mac: 0x02_00_00_00_03_00, ip: 0x0a_00_03_00 };
