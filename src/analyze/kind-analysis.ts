import type { AnalysisContext } from './context.js';
import type { TransactionKind } from './findings.js';
import { ROLE_REQUEST } from './frame-annotations.js';
import { OPEN, UNANSWERED, type TransactionStore } from './transaction-store.js';

/**
 * What ARP and echo analysis share: one transaction store on the context's clock, requests that
 * time out when their turn comes, and the end of input, where open requests are either judged
 * unanswered or counted as pending for their pair.
 */
export abstract class KindAnalysis {
  readonly store: TransactionStore;

  constructor(
    protected readonly ctx: AnalysisContext,
    kind: TransactionKind,
    protected readonly timeoutMs: number,
  ) {
    this.store = kind === 'ndp' || kind === 'echo6' ? ctx.newStore(kind, timeoutMs * 1e6, (id, at) => ctx.ip6Label(id, at)) : ctx.newStore(kind, timeoutMs * 1e6);
  }

  /** An address of this kind's transactions as a label (IPv4 numbers; the IPv6 kinds keep `ip6Id`s). */
  protected label(ip: number, sec?: number): string {
    return this.store.kind === 'ndp' || this.store.kind === 'echo6' ? this.ctx.ip6Label(ip, sec) : this.ctx.ipLabel(ip, sec);
  }

  get open(): number {
    return this.store.live;
  }

  /** The kind's finding and pair counter for an unanswered request, with its endpoints' labels. */
  protected abstract reportUnanswered(slot: number, from: string, to: string, sec: number, nsec: number): void;

  /** A request whose timeout passed on the frame clock without an answer. */
  protected timedOut(slot: number): void {
    const store = this.store;
    const ctx = this.ctx;
    store.state[slot] = UNANSWERED;
    const t = store.requestNs[slot];
    const sec = ctx.clock.secOf(t);
    this.reportUnanswered(slot, this.label(store.srcIp[slot], sec), this.label(store.dstIp[slot], sec), sec, ctx.clock.nsecOf(t));
    ctx.touch(store, slot, store.requestFrame[slot], ROLE_REQUEST);
  }

  /** Counts an open request as pending in its pair's row. */
  protected abstract countPending(slot: number): void;

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
        this.countPending(slot);
      }
    }
    store.closeAll();
    return pending;
  }
}
