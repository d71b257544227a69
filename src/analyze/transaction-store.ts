import type { Transaction, TransactionKind, TransactionState } from './findings.js';
import type { FrameClock } from './frame-time.js';
import { KeyIndex } from './key-index.js';

/** Transaction states as stored per slot (Uint8); the public names are STATE_NAMES[state]. */
export const OPEN = 0;
export const ANSWERED = 1;
export const UNANSWERED = 2;
export const ERROR = 3;
const STATE_NAMES: readonly TransactionState[] = ['open', 'answered', 'unanswered', 'error'];

/** Store kinds as a transaction id modulo KIND_COUNT. */
export const KIND_CODES: Record<TransactionKind, number> = { arp: 0, echo: 1, ndp: 2, echo6: 3 };
export const KIND_COUNT = 4;

const MIN_SLOTS = 256;
/**
 * The index maps a key to its request's number (mod 2^30), not to its slot: slot = number & mask
 * for every ring size (a power of two), so growing the ring leaves the index as it is.
 */
const SEQ_BITS = 0x3fffffff;
/** Retirement lags by up to this share of the timeout (index entries only: `reserve` catches up first). */
const RETIRE_BATCH = 0.25;

/** Resolves an address to its display label as of `atSec` (the analysis context's cached labels). */
export type Labeler = (ip: number, atSec: number) => string;

type Column = Float64Array | Uint32Array | Uint8Array;
const NO_COLUMN = new Float64Array(0);

/**
 * Transactions of one kind as a struct of arrays: one slot per request, fields in typed arrays,
 * nothing allocated per request. Slots form a ring in request order, so the two timeout queues
 * are index ranges of it: [head, due) got their verdict and are kept for late or duplicate
 * replies until twice the timeout; [due, tail) still wait for it. A request is found by a key of
 * two uint32 numbers (the requester's IPv4 and `key2`) through a KeyIndex; a newer request with
 * the same key takes the key over, and from then on nothing can find the older one: once decided
 * it is retired with the ones past twice the timeout (a flood's sequence numbers wrap long before
 * that, so it holds one sequence space of transactions, not two timeouts' worth).
 *
 * Ids: request number `seq` of this store gives the id KIND_COUNT * seq + kind code + 1, unique
 * across the stores of an analysis; an id finds its slot (seq mod ring size), which still holds
 * that transaction while seq is among the last ring-size requests and was not older than the
 * ring's content when it last grew (no id is stored).
 *
 * Memory: the ring's next slot is reused only if its transaction is retired and none of the last
 * `annotateFrames` frames belongs to it (so every annotated frame still finds its transaction);
 * otherwise the ring doubles. It therefore holds at most about (transactions held at once +
 * transactions touched by the annotation window) slots, rounded up to a power of two, whatever
 * the number of frames.
 *
 * Columns are replaced when the ring grows: read them through the store after `open`. Only the
 * columns the state makes meaningful are written (answerFrame, rttNs, answerMac once answered;
 * answerFrame once errored); `view` shows the others as -1. Times are FrameClock nanoseconds.
 * answerMac exists for address resolution only, lastTick only when frames are annotated.
 *
 * Per frame the cost is one comparison against the clock's `alarm` (the least `checkAt` of the
 * stores); per request, one index probe and a row
 * of column writes. A reply to the newest request (a ping waits for its reply) is found without
 * the index; a transaction whose key a newer request took over (sequence numbers wrap in a flood)
 * is retired without touching the index.
 *
 * `checkAt` is rarely reached in a flood, because neither queue needs a visit per request: the
 * verdict queue skips the transactions already answered (they need no verdict), so its next
 * deadline is that of the oldest one still open; and retirement runs in batches of RETIRE_BATCH
 * timeouts, `find` treating a transaction past twice the timeout as already retired. Both give
 * exactly the answers of a visit per frame while requests arrive in time order (every transaction
 * past twice the timeout is then at the front of the ring). A merge of interfaces may step back a
 * little: from the first request older than the one before it, the store visits both queues in
 * ring order on every frame again, and such a transaction just expires when the one before it does.
 */
export class TransactionStore {
  state!: Uint8Array;
  srcIp!: Uint32Array;
  dstIp!: Uint32Array;
  /** Second half of the lookup key (ARP: target IP; echo: identifier << 16 | sequence). */
  key2!: Uint32Array;
  requestFrame!: Float64Array;
  requestNs!: Float64Array;
  repeats!: Uint32Array;
  /** 1 once a newer request took the key over: the index no longer leads here. */
  taken!: Uint8Array;
  /** The reply (answered) or the ICMP error (error) that closed the request. */
  answerFrame!: Float64Array;
  rttNs!: Float64Array;
  /** Address resolution only (ARP, ND): an echo store leaves it empty. */
  answerMac!: Float64Array;
  /** FrameClock.tick of the last frame annotated with the transaction (empty when nothing is annotated). */
  lastTick!: Float64Array;
  /** Transaction objects handed out (onTransaction, annotations): one per slot, made on demand. */
  private views: (Transaction | undefined)[] | undefined;

  private readonly index = new KeyIndex();
  private readonly kindCode: number;
  private readonly resolves: boolean;
  private slots = 0;
  private mask = 0;
  /** Request counters (exact doubles) and their slots: head <= due <= tail. */
  private headSeq = 0;
  private dueSeq = 0;
  private tailSeq = 0;
  private headSlot = 0;
  private dueSlot = 0;
  private tailSlot = 0;
  /** The oldest request the ring still holds since it last grew (older slots of it were never written). */
  private keptFrom = 0;
  /** FrameClock time from which `expire` may have work: the next verdict or retirement. */
  checkAt = Infinity;
  private lastK1 = 0;
  private lastK2 = 0;
  /** Requests came in time order so far: retirement may lag (see the class comment). */
  private ordered = true;

  constructor(
    readonly kind: TransactionKind,
    readonly timeoutNs: number,
    private readonly annotateFrames: number,
    private readonly clock: FrameClock,
    private readonly label: Labeler,
  ) {
    this.kindCode = KIND_CODES[kind];
    this.resolves = kind === 'arp' || kind === 'ndp';
    this.resize(MIN_SLOTS);
  }

  /** Transactions held: waiting for their verdict, or kept for late and duplicate replies. */
  get live(): number {
    this.retire();
    return this.tailSeq - this.headSeq;
  }

  /** Slots allocated (what the store's memory is proportional to, with the index's buckets). */
  get capacity(): number {
    return this.slots;
  }

  /** Slot of the held transaction under (k1, k2), or -1. Remembers the key for `open`. */
  find(k1: number, k2: number): number {
    this.lastK1 = k1;
    this.lastK2 = k2;
    const last = (this.tailSlot - 1) & this.mask;
    const s = this.tailSeq > this.headSeq && this.srcIp[last] === k1 && this.key2[last] === k2 ? last : this.slotOfSeq(this.index.get(k1, k2));
    // Retired as of this frame, though the batch has not come yet.
    return s >= 0 && this.ordered && this.clock.now - this.requestNs[s] >= 2 * this.timeoutNs ? -1 : s;
  }

  /**
   * A new open transaction under the key the last `find` looked up (its first half is the
   * requester), towards `dst`, requested at the clock's current frame; returns its slot.
   * The key is not an argument: the hot path passes no number that may not be a small integer.
   */
  open(dst: number, frameNo: number): number {
    const src = this.lastK1;
    const key2 = this.lastK2;
    // The takeover comes first: the transaction it retires may be the one whose slot this reuses.
    // Written whether there was one or not (-1 rewrites slot `mask` as it is): no cold path.
    const old = this.index.set(src, key2, this.tailSeq & SEQ_BITS);
    const o = old & this.mask;
    this.taken[o] = old >= 0 ? 1 : this.taken[o];
    this.reserve();
    const t = this.clock.t;
    const s = this.tailSlot;
    if (this.ordered && this.tailSeq > this.headSeq && t < this.requestNs[(s - 1) & this.mask]) this.stepBack();
    this.state[s] = OPEN;
    this.srcIp[s] = src;
    this.dstIp[s] = dst;
    this.key2[s] = key2;
    this.requestFrame[s] = frameNo;
    this.requestNs[s] = t;
    this.repeats[s] = 0;
    this.taken[s] = 0;
    if (this.annotateFrames > 0) this.lastTick[s] = this.clock.tick;
    this.tailSeq++;
    this.tailSlot = (s + 1) & this.mask;
    // Stored either way: see retireTakenHead.
    this.checkAt = Math.min(this.checkAt, t + this.timeoutNs);
    this.clock.alarm = Math.min(this.clock.alarm, this.checkAt);
    return s;
  }

  /**
   * Whether slot `s` (a `find` result, or -1) is an open request towards `dst`: a repeat. Reads
   * the slot's columns even for -1, so the first repeat runs nothing a warm-up did not.
   */
  isOpenTo(s: number, dst: number): boolean {
    const i = s & this.mask;
    const toDst = this.dstIp[i] === dst;
    const open = this.state[i] === OPEN;
    return s >= 0 && toDst && open;
  }

  /** Next transaction whose timeout has passed at the clock's `now`, moved to the kept range; or -1. */
  nextDue(): number {
    if (this.dueSeq === this.tailSeq) return -1;
    const s = this.dueSlot;
    if (this.clock.now - this.requestNs[s] < this.timeoutNs) return -1;
    this.dueSeq++;
    this.dueSlot = (s + 1) & this.mask;
    return s;
  }

  /**
   * Forgets the decided transactions past twice the timeout at the clock's `now` (no reply can
   * find them any more), moves the answered ones at the front of the verdict queue to the kept
   * range, and sets `checkAt`. Call after taking every `nextDue`.
   */
  retire(): void {
    const now = this.clock.now;
    const limit = 2 * this.timeoutNs;
    while (this.ordered && this.dueSeq < this.tailSeq && this.state[this.dueSlot] !== OPEN) {
      this.dueSeq++;
      this.dueSlot = (this.dueSlot + 1) & this.mask;
    }
    while (this.headSeq < this.dueSeq) {
      const s = this.headSlot;
      if (this.taken[s] === 0) {
        if (now - this.requestNs[s] < limit) break;
        this.index.delete(this.srcIp[s], this.key2[s], this.headSeq & SEQ_BITS);
      }
      this.headSeq++;
      this.headSlot = (s + 1) & this.mask;
    }
    // Both slots read even when their queue is empty: see retireTakenHead.
    const dueNs = this.requestNs[this.dueSlot] + this.timeoutNs;
    const oldNs = this.requestNs[this.headSlot] + limit + (this.ordered ? RETIRE_BATCH * this.timeoutNs : 0);
    const due = this.dueSeq < this.tailSeq ? dueNs : Infinity;
    const old = this.headSeq < this.dueSeq ? oldNs : Infinity;
    this.checkAt = Math.min(due, old);
    this.clock.alarm = Math.min(this.clock.alarm, this.checkAt);
  }

  /** A request older than the one before it: catch up, then visit the queues frame by frame from now on. */
  private stepBack(): void {
    this.retire();
    this.ordered = false;
    this.retire();
  }

  /** End of input: the next transaction still waiting for its verdict, oldest first; or -1. */
  nextPending(): number {
    if (this.dueSeq === this.tailSeq) return -1;
    const s = this.dueSlot;
    this.dueSeq++;
    this.dueSlot = (s + 1) & this.mask;
    return s;
  }

  /** End of input: nothing is held for lookups any more; slots stay readable for annotations. */
  closeAll(): void {
    this.index.clear();
    this.headSeq = this.dueSeq = this.tailSeq;
    this.headSlot = this.dueSlot = this.tailSlot;
    this.checkAt = Infinity;
  }

  /** The slot of an index value (a request number, see SEQ_BITS), or -1 for none. */
  private slotOfSeq(v: number): number {
    const s = v & this.mask;
    return v < 0 ? -1 : s;
  }

  /** Slot still holding transaction `id` of this store, or -1. */
  slotOf(id: number): number {
    const seq = (id - 1 - this.kindCode) / KIND_COUNT;
    if (!Number.isInteger(seq) || seq < this.keptFrom || seq < this.tailSeq - this.slots || seq >= this.tailSeq) return -1;
    return seq % this.slots;
  }

  /** Id of the transaction in slot `s` (a slot written since the store began). */
  idOf(s: number): number {
    const seq = this.tailSeq - 1 - ((this.tailSeq - 1 - s) & this.mask);
    return KIND_COUNT * seq + this.kindCode + 1;
  }

  /**
   * The slot as a Transaction object, refreshed from the columns: the same object for a slot
   * every time (until the slot is reused), so a consumer sees one object change state.
   */
  view(s: number): Transaction {
    const views = (this.views ??= new Array<Transaction | undefined>(this.slots).fill(undefined));
    let tx = views[s];
    const id = this.idOf(s);
    if (tx === undefined || tx.id !== id) {
      const src = this.srcIp[s];
      const dst = this.dstIp[s];
      const t = this.requestNs[s];
      const at = this.clock.secOf(t);
      const echo = this.kind === 'echo' || this.kind === 'echo6';
      tx = {
        id,
        kind: this.kind,
        state: 'open',
        srcIp: src,
        dstIp: dst,
        srcLabel: this.label(src, at),
        dstLabel: this.label(dst, at),
        identifier: echo ? this.key2[s] >>> 16 : -1,
        sequence: echo ? this.key2[s] & 0xffff : -1,
        requestFrame: this.requestFrame[s],
        requestSec: at,
        requestNsec: this.clock.nsecOf(t),
        repeats: 0,
        replyFrame: -1,
        rttNs: -1,
        answerMac: -1,
        errorFrame: -1,
      };
      views[s] = tx;
    }
    const state = this.state[s];
    const answered = state === ANSWERED;
    tx.state = STATE_NAMES[state];
    tx.repeats = this.repeats[s];
    tx.replyFrame = answered ? this.answerFrame[s] : -1;
    tx.rttNs = answered ? this.rttNs[s] : -1;
    tx.answerMac = answered && this.resolves ? this.answerMac[s] : -1;
    tx.errorFrame = state === ERROR ? this.answerFrame[s] : -1;
    return tx;
  }

  /**
   * Makes the tail slot free to write: until the ring wraps it is unused; after, its transaction
   * must be retired and out of the annotation window, or the ring doubles.
   */
  private reserve(): void {
    if (this.tailSeq < this.slots) return;
    if (this.tailSeq - this.headSeq === this.slots && !this.retireTakenHead()) this.retire();
    const outOfWindow = this.annotateFrames === 0 || this.clock.tick - this.lastTick[this.tailSlot] >= this.annotateFrames;
    if (this.tailSeq - this.headSeq === this.slots || !outOfWindow) this.resize(2 * this.slots);
  }

  /**
   * What `retire` would do for a full ring whose oldest transaction is decided and taken over
   * (a flood wrapping its sequence numbers reaches it one request per request), without its
   * visit of both queues. `checkAt` may stay earlier than needed: that only brings `retire` early.
   * Every read and write runs whatever the answer (by steps of 0 or 1), so the first takeover of
   * a flood meets optimised code that has run all of it.
   */
  private retireTakenHead(): boolean {
    const s = this.headSlot;
    const taken = this.taken[s] !== 0;
    const open = this.state[s] === OPEN;
    const ordered = this.ordered;
    const queued = this.headSeq === this.dueSeq;
    // Still in the verdict queue: decided only if answered and the queue may skip it (ordered).
    const free = taken && !(queued && (open || !ordered));
    const step = free ? 1 : 0;
    const dueStep = free && queued ? 1 : 0;
    this.dueSeq += dueStep;
    this.dueSlot = (this.dueSlot + dueStep) & this.mask;
    this.headSeq += step;
    this.headSlot = (s + step) & this.mask;
    return free;
  }

  /** Moves every stored slot to a ring of `n` slots (slot = seq mod n); the index stays valid (SEQ_BITS). */
  private resize(n: number): void {
    const old = this.slots;
    const kept = Math.min(this.tailSeq, old);
    const first = this.tailSeq - kept;
    const move = <T extends Column>(a: T | undefined, b: T): T => {
      for (let seq = first, left = kept; a && left > 0;) {
        const from = seq % old;
        const to = seq % n;
        const len = Math.min(left, old - from, n - to);
        b.set(a.subarray(from, from + len), to);
        seq += len;
        left -= len;
      }
      return b;
    };
    this.state = move(this.state, new Uint8Array(n));
    this.srcIp = move(this.srcIp, new Uint32Array(n));
    this.dstIp = move(this.dstIp, new Uint32Array(n));
    this.key2 = move(this.key2, new Uint32Array(n));
    this.requestFrame = move(this.requestFrame, new Float64Array(n));
    this.requestNs = move(this.requestNs, new Float64Array(n));
    this.repeats = move(this.repeats, new Uint32Array(n));
    this.taken = move(this.taken, new Uint8Array(n));
    this.answerFrame = move(this.answerFrame, new Float64Array(n));
    this.rttNs = move(this.rttNs, new Float64Array(n));
    this.answerMac = this.resolves ? move(this.answerMac, new Float64Array(n)) : NO_COLUMN;
    this.lastTick = this.annotateFrames > 0 ? move(this.lastTick, new Float64Array(n)) : NO_COLUMN;
    if (this.views) {
      const views = new Array<Transaction | undefined>(n).fill(undefined);
      for (let seq = first; seq < this.tailSeq; seq++) views[seq % n] = this.views[seq % old];
      this.views = views;
    }
    this.keptFrom = first;
    this.slots = n;
    this.mask = n - 1;
    this.headSlot = this.headSeq % n;
    this.dueSlot = this.dueSeq % n;
    this.tailSlot = this.tailSeq % n;
  }
}
