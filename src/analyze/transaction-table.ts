import { nsBetween } from './frame-time.js';
import type { Transaction } from './findings.js';

/**
 * Open and recently closed transactions under a two-number key (no string per frame), with
 * expiry on the frame clock. A transaction is `due` for the unanswered verdict `timeoutNs` after
 * its request and is retired (forgotten) at twice that: the second window lets a late reply or a
 * duplicate reply still find it. Memory is therefore bounded by request rate x 2 x timeout.
 *
 * Both queues are FIFO in request order: frames arrive in time order (a merge of interfaces may
 * step back a little; such a transaction just expires when the one before it does).
 */
export class TransactionTable {
  private readonly map = new Map<number, Map<number, Transaction>>();
  private readonly pending = new Fifo<Transaction>();
  private readonly retained = new Fifo<Transaction>();
  /** Last outer lookup: a request and its reply share k1, and floods repeat it frame after frame. */
  private lastK1 = Number.NaN;
  private lastInner: Map<number, Transaction> | undefined;

  constructor(
    readonly timeoutNs: number,
    private readonly key1: (tx: Transaction) => number,
    private readonly key2: (tx: Transaction) => number,
  ) {}

  private inner(k1: number): Map<number, Transaction> | undefined {
    if (k1 !== this.lastK1) {
      this.lastK1 = k1;
      this.lastInner = this.map.get(k1);
    }
    return this.lastInner;
  }

  get(k1: number, k2: number): Transaction | undefined {
    return this.inner(k1)?.get(k2);
  }

  add(k1: number, k2: number, tx: Transaction): void {
    let inner = this.inner(k1);
    if (!inner) {
      this.map.set(k1, (inner = new Map()));
      this.lastInner = inner;
    }
    inner.set(k2, tx);
    this.pending.push(tx);
  }

  /** Next transaction whose timeout has passed at (sec, nsec), removed from the due queue. */
  nextDue(sec: number, nsec: number): Transaction | undefined {
    const tx = this.pending.peek();
    if (!tx || nsBetween(tx.requestSec, tx.requestNsec, sec, nsec) < this.timeoutNs) return undefined;
    this.pending.shift();
    this.retained.push(tx);
    return tx;
  }

  /** Next transaction past its retention, forgotten. */
  nextRetired(sec: number, nsec: number): Transaction | undefined {
    const tx = this.retained.peek();
    if (!tx || nsBetween(tx.requestSec, tx.requestNsec, sec, nsec) < 2 * this.timeoutNs) return undefined;
    this.retained.shift();
    this.forget(tx);
    return tx;
  }

  /** Everything still waiting for its verdict, oldest first (end of input). */
  drainPending(): Transaction[] {
    return this.pending.drain();
  }

  drainRetained(): Transaction[] {
    const all = this.retained.drain();
    for (const tx of all) this.forget(tx);
    return all;
  }

  get size(): number {
    return this.pending.length + this.retained.length;
  }

  private forget(tx: Transaction): void {
    const k1 = this.key1(tx);
    const k2 = this.key2(tx);
    const inner = this.inner(k1);
    if (inner?.get(k2) !== tx) return;
    inner.delete(k2);
    if (inner.size === 0) {
      this.map.delete(k1);
      this.lastInner = undefined;
    }
  }
}

/** Array-backed queue with amortised O(1) shift. */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(x: T): void {
    this.items.push(x);
  }

  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  shift(): void {
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  drain(): T[] {
    const out = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return out;
  }
}
