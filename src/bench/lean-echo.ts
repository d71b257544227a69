import { IcmpType, type DecodedFrame } from '../decode/index.js';
import { FrameClock } from '../analyze/frame-time.js';
import { KeyIndex } from '../analyze/key-index.js';
import { PairTable } from '../analyze/pairs.js';
import { ANSWERED, OPEN, UNANSWERED } from '../analyze/transaction-store.js';

/** Requests held at once: a flood's sequence space (65,536) with room for the ones not yet retired. */
const SLOTS = 1 << 17;

/** What a lean pairing counted, to hold it against the analyzer's pair table. */
export interface LeanEchoCounts {
  requests: number;
  repeats: number;
  answered: number;
  lateAnswers: number;
  unanswered: number;
  unexpected: number;
}

/**
 * The IPv4 echo pairing a flood needs, written as plainly as we could and with nothing else: it
 * decides what our analyzer's echo path decides for a flood (a reply to each request, repeats,
 * sequence numbers that wrap, timeouts on the frame clock, RTTs into the same pair table) but
 * keeps no ids, annotations, findings or labels, holds one ring of fixed size, and has no
 * warm-up (V8 meets each decision path when the flood first takes it). The bench measures it
 * beside the analyzer (`echo-lean`), to show what a leaner design would gain: a yardstick, not
 * the product.
 */
export class LeanEchoPairing {
  readonly pairs = new PairTable();
  readonly counts: LeanEchoCounts = { requests: 0, repeats: 0, answered: 0, lateAnswers: 0, unanswered: 0, unexpected: 0 };
  private readonly state = new Uint8Array(SLOTS);
  private readonly taken = new Uint8Array(SLOTS);
  private readonly asker = new Uint32Array(SLOTS);
  private readonly asked = new Uint32Array(SLOTS);
  private readonly key = new Uint32Array(SLOTS);
  private readonly sentNs = new Float64Array(SLOTS);
  /** The slot of the request under (asker, key): the analyzer's own index, so the two differ in the store only. */
  private readonly index = new KeyIndex();
  /** Request counters: [head, due) decided and kept for late replies, [due, tail) awaiting a verdict. */
  private head = 0;
  private due = 0;
  private tail = 0;
  private checkAt = Infinity;
  /** The analyzer's frame clock: times as ns since the first frame, `now` the latest seen. */
  private readonly clock = new FrameClock();

  constructor(private readonly timeoutNs = 1e9) {}

  observe(f: DecodedFrame, tsSec: number, tsNsec: number): void {
    const clock = this.clock;
    clock.set(tsSec, tsNsec);
    const t = clock.t;
    if (clock.now >= this.checkAt) this.expire();
    const icmp = f.icmp;
    const ip = f.ipv4;
    if (icmp === null || ip === null || !icmp.hasIdSeq) return;
    const request = icmp.type === IcmpType.ECHO_REQUEST;
    if (!request && icmp.type !== IcmpType.ECHO_REPLY) return;
    const src = ip.srcNum;
    const dst = ip.dstNum;
    const k = icmp.idSeq;
    const pair = this.pairs.get(src, dst);
    if (request) {
      pair.echoRequests++;
      this.request(src, dst, k, t);
      return;
    }
    pair.echoReplies++;
    // A reply travels back: its destination asked. A flood answers the newest request.
    const last = (this.tail - 1) & (SLOTS - 1);
    const s = this.tail > this.head && this.asker[last] === dst && this.key[last] === k ? last : this.index.get(dst, k);
    if (s < 0 || this.asked[s] !== src || this.state[s] === ANSWERED) {
      this.counts.unexpected++;
      return;
    }
    if (this.state[s] === UNANSWERED) {
      pair.echoLost--;
      this.counts.lateAnswers++;
    }
    this.state[s] = ANSWERED;
    this.counts.answered++;
    pair.addEchoRtt(t - this.sentNs[s]);
  }

  private request(src: number, dst: number, k: number, t: number): void {
    this.counts.requests++;
    const held = this.index.get(src, k);
    if (held >= 0) {
      if (this.state[held] === OPEN && this.asked[held] === dst) {
        this.counts.repeats++;
        return;
      }
      this.taken[held] = 1;
    }
    if (this.tail - this.head === SLOTS) this.retireTakenHead();
    const s = this.tail & (SLOTS - 1);
    this.state[s] = OPEN;
    this.taken[s] = 0;
    this.asker[s] = src;
    this.asked[s] = dst;
    this.key[s] = k;
    this.sentNs[s] = t;
    this.index.set(src, k, s);
    this.tail++;
    this.checkAt = Math.min(this.checkAt, t + this.timeoutNs);
  }

  /** A full ring: its oldest request must be decided and its key taken over, else the flood outran the ring. */
  private retireTakenHead(): void {
    const s = this.head & (SLOTS - 1);
    if (this.taken[s] === 0 || this.state[s] === OPEN) throw new Error(`echo-lean holds at most ${SLOTS} requests at once`);
    if (this.due === this.head) this.due++;
    this.head++;
  }

  /** Verdicts past the timeout, then retirement past twice it (the key leaves the table unless taken over). */
  private expire(): void {
    const mask = SLOTS - 1;
    const now = this.clock.now;
    while (this.due < this.tail) {
      const s = this.due & mask;
      if (this.state[s] === OPEN) {
        if (now - this.sentNs[s] < this.timeoutNs) break;
        this.state[s] = UNANSWERED;
        this.counts.unanswered++;
        this.pairs.get(this.asker[s], this.asked[s]).echoLost++;
      }
      this.due++;
    }
    while (this.head < this.due && now - this.sentNs[this.head & mask] >= 2 * this.timeoutNs) {
      const s = this.head & mask;
      if (this.taken[s] === 0) this.index.delete(this.asker[s], this.key[s], s);
      this.head++;
    }
    const dueAt = this.due < this.tail ? this.sentNs[this.due & mask] + this.timeoutNs : Infinity;
    const retireAt = this.head < this.due ? this.sentNs[this.head & mask] + 2 * this.timeoutNs : Infinity;
    this.checkAt = Math.min(dueAt, retireAt);
  }

  /** End of input: requests still inside their timeout (what the analyzer reports as pending). */
  get pending(): number {
    let n = 0;
    for (let q = this.due; q < this.tail; q++) if (this.state[q & (SLOTS - 1)] === OPEN) n++;
    return n;
  }
}
