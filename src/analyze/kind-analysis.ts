import type { AnalysisContext } from './context.js';
import type { TransactionKind } from './findings.js';
import { ROLE_ERROR, ROLE_REPEAT, ROLE_REQUEST } from './frame-annotations.js';
import type { PairCounters, PairTable } from './pairs.js';
import { ANSWERED, ERROR, OPEN, UNANSWERED, type TransactionStore } from './transaction-store.js';

/**
 * An echo transaction's second key half, after the requester: identifier and sequence as one
 * uint32. ICMPv4 views read it in one go (IcmpView.idSeq); this builds it for ICMPv6's.
 */
export const idSeq = (id: number, seq: number) => id * 65536 + seq;

/**
 * Request/answer pairing, shared by the four kinds: address resolution (ARP, Neighbor Discovery)
 * and echo (ICMP, ICMPv6), each over one family's pair table (IPv4 numbers, or the context's
 * IPv6 keys). One transaction store on the context's clock; a repeat of an open request counts
 * on it; an answer closes it with its RTT (a late one takes an unanswered verdict back); requests
 * time out when their turn comes; at the end of input open requests are either judged unanswered
 * or counted as pending. The kinds add their own findings.
 */
export abstract class KindAnalysis {
  readonly store: TransactionStore;
  /** The family's pair table: `ctx.pairs` (IPv4) or `ctx.pairs6` (IPv6 keys). */
  protected readonly pairs: PairTable;
  private readonly v6: boolean;
  /** ARP and ND count into the pairs' resolve columns, echo into their echo columns. */
  private readonly resolves: boolean;

  constructor(
    protected readonly ctx: AnalysisContext,
    kind: TransactionKind,
    protected readonly timeoutMs: number,
  ) {
    this.v6 = kind === 'ndp' || kind === 'echo6';
    this.resolves = kind === 'arp' || kind === 'ndp';
    this.pairs = this.v6 ? ctx.pairs6 : ctx.pairs;
    this.store = this.v6 ? ctx.newStore(kind, timeoutMs * 1e6, (id, at) => ctx.ip6Label(id, at)) : ctx.newStore(kind, timeoutMs * 1e6);
  }

  /** An address of this kind's transactions as a label. */
  protected label(ip: number, sec?: number): string {
    return this.v6 ? this.ctx.ip6Label(ip, sec) : this.ctx.ipLabel(ip, sec);
  }

  get open(): number {
    return this.store.live;
  }

  /** The held transaction for a request from src to dst under `key2`, or -1. */
  protected findTo(src: number, dst: number, key2: number): number {
    const slot = this.store.find(src, key2);
    return slot >= 0 && this.store.dstIp[slot] === dst ? slot : -1;
  }

  /**
   * A request under the key the last `store.find` looked up, which found `tx` (or -1): a repeat
   * of that transaction while it is open, else a new one towards `dst`.
   */
  protected ask(tx: number, dst: number, frameNo: number): void {
    const store = this.store;
    if (tx >= 0 && store.state[tx] === OPEN) {
      store.repeats[tx]++;
      this.ctx.touch(store, tx, frameNo, ROLE_REPEAT);
    } else this.ctx.openTransaction(store, dst, frameNo);
  }

  /**
   * Closes `tx` (open or unanswered) with the answer in frame `frameNo` (`mac`: the MAC it gave,
   * for address resolution), its RTT counted in `pair`. True when it came after the timeout's
   * verdict. The caller reports what it has to, then touches the transaction.
   */
  protected close(tx: number, pair: PairCounters, frameNo: number, mac: number): boolean {
    const store = this.store;
    const late = store.state[tx] === UNANSWERED;
    const rttNs = this.ctx.clock.t - store.requestNs[tx];
    store.state[tx] = ANSWERED;
    store.answerFrame[tx] = frameNo;
    store.rttNs[tx] = rttNs;
    if (this.resolves) {
      store.answerMac[tx] = mac;
      if (late) pair.resolveUnanswered--;
      pair.addResolveLatency(rttNs);
    } else {
      if (late) pair.echoLost--;
      pair.addEchoRtt(rttNs);
    }
    return late;
  }

  /** An ICMP error in frame `frameNo` quoting echo request `tx` (or -1) answers it if it is still undecided or unanswered. */
  protected closeWithError(tx: number, frameNo: number): void {
    const store = this.store;
    const state = tx >= 0 ? store.state[tx] : -1;
    if (state !== OPEN && state !== UNANSWERED) return;
    const pair = this.pairs.get(store.srcIp[tx], store.dstIp[tx]);
    if (state === UNANSWERED) pair.echoLost--;
    store.state[tx] = ERROR;
    store.answerFrame[tx] = frameNo;
    pair.echoErrors++;
    this.ctx.touch(store, tx, frameNo, ROLE_ERROR);
  }

  /** The kind's finding for an unanswered request, with its endpoints' labels. */
  protected abstract reportUnanswered(slot: number, from: string, to: string, sec: number, nsec: number): void;

  /** A request whose timeout passed on the frame clock without an answer. */
  protected timedOut(slot: number): void {
    const store = this.store;
    const ctx = this.ctx;
    store.state[slot] = UNANSWERED;
    const pair = this.pairs.get(store.srcIp[slot], store.dstIp[slot]);
    if (this.resolves) pair.resolveUnanswered++;
    else pair.echoLost++;
    const t = store.requestNs[slot];
    const sec = ctx.clock.secOf(t);
    this.reportUnanswered(slot, this.label(store.srcIp[slot], sec), this.label(store.dstIp[slot], sec), sec, ctx.clock.nsecOf(t));
    ctx.touch(store, slot, store.requestFrame[slot], ROLE_REQUEST);
  }

  /** Verdicts and retirements due at the clock's `now`; the caller checks store.checkAt first. */
  expire(): void {
    const store = this.store;
    let slot;
    while ((slot = store.nextDue()) >= 0) if (store.state[slot] === OPEN) this.timedOut(slot);
    store.retire();
  }

  /** End of input: see Analyzer.finish for what `pendingAsUnanswered` means. */
  finish(pendingAsUnanswered: boolean): number {
    const store = this.store;
    let pending = 0;
    let slot;
    while ((slot = store.nextPending()) >= 0) {
      if (store.state[slot] !== OPEN) continue;
      if (pendingAsUnanswered) this.timedOut(slot);
      else {
        pending++;
        const pair = this.pairs.get(store.srcIp[slot], store.dstIp[slot]);
        if (this.resolves) pair.resolvePending++;
        else pair.echoPending++;
      }
    }
    store.closeAll();
    return pending;
  }
}
