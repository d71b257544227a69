import type { Transaction, TransactionKind, TransactionState } from './findings.js';
import { nsBetween } from './frame-time.js';

/** Transaction states as stored per slot (Uint8); the public names are STATE_NAMES[state]. */
export const OPEN = 0;
export const ANSWERED = 1;
export const UNANSWERED = 2;
export const ERROR = 3;
const STATE_NAMES: readonly TransactionState[] = ['open', 'answered', 'unanswered', 'error'];

const MIN_SLOTS = 64;

/** Resolves an address to its display label as of `atSec` (the analysis context's cached labels). */
export type Labeler = (ip: number, atSec: number) => string;

/** 32-bit mix of a two-number key (both uint32) for the open-addressing index. */
function mix(k1: number, k2: number): number {
  let h = Math.imul(k1, 0x85ebca6b) ^ Math.imul(k2, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  return h ^ (h >>> 15);
}

/**
 * Transactions of one kind as a struct of arrays: one slot per request, fields in typed arrays,
 * nothing allocated per request. Slots form a ring in request order, so the two timeout queues
 * are index ranges of it: [head, due) got their verdict and are kept for late or duplicate
 * replies until twice the timeout; [due, tail) still wait for it. A request is found by a key of
 * two uint32 numbers (the requester's IPv4 and `key2`) through an open-addressing index (linear
 * probing, backward-shift deletion); a newer request with the same key takes the key over.
 *
 * Memory: a slot is reused only once it is retired AND no frame among the last
 * `annotateFrames` can name it, so the ring holds at most (most transactions ever held at once +
 * annotateFrames) slots, rounded up to a power of two; it grows (by doubling, copying) only
 * while that figure grows, never with the number of frames.
 *
 * Column arrays are replaced when the ring grows: read them through the store after `open`.
 * Frames arrive in time order; a merge of interfaces may step back a little, and such a
 * transaction just expires when the one before it does.
 */
export class TransactionStore {
  /** Global transaction id (Transaction.id); with `seq`, what an annotation checks a slot by. */
  id: Float64Array;
  /** This store's request counter at the slot's request: survives ring growth, unlike the slot. */
  seq: Float64Array;
  state: Uint8Array;
  srcIp: Uint32Array;
  dstIp: Uint32Array;
  /** Second half of the lookup key (ARP: target IP; echo: identifier << 16 | sequence). */
  key2: Uint32Array;
  identifier: Int32Array;
  sequence: Int32Array;
  requestFrame: Float64Array;
  requestSec: Float64Array;
  requestNsec: Uint32Array;
  repeats: Uint32Array;
  replyFrame: Float64Array;
  rttNs: Float64Array;
  answerMac: Float64Array;
  errorFrame: Float64Array;
  /** Transaction objects handed out (onTransaction, annotations): one per slot, made on demand. */
  private views: (Transaction | undefined)[];

  private slots: number;
  private mask: number;
  private index: Int32Array;
  private indexMask: number;
  /** Request counters (exact doubles) and their slots: head <= due <= tail. */
  private headSeq = 0;
  private dueSeq = 0;
  private tailSeq = 0;
  private headSlot = 0;
  private dueSlot = 0;
  private tailSlot = 0;
  private maxLive = 0;

  constructor(
    readonly kind: TransactionKind,
    readonly timeoutNs: number,
    private readonly annotateFrames: number,
    private readonly label: Labeler,
  ) {
    this.slots = MIN_SLOTS;
    this.mask = MIN_SLOTS - 1;
    this.id = new Float64Array(MIN_SLOTS);
    this.seq = new Float64Array(MIN_SLOTS).fill(-1);
    this.state = new Uint8Array(MIN_SLOTS);
    this.srcIp = new Uint32Array(MIN_SLOTS);
    this.dstIp = new Uint32Array(MIN_SLOTS);
    this.key2 = new Uint32Array(MIN_SLOTS);
    this.identifier = new Int32Array(MIN_SLOTS);
    this.sequence = new Int32Array(MIN_SLOTS);
    this.requestFrame = new Float64Array(MIN_SLOTS);
    this.requestSec = new Float64Array(MIN_SLOTS);
    this.requestNsec = new Uint32Array(MIN_SLOTS);
    this.repeats = new Uint32Array(MIN_SLOTS);
    this.replyFrame = new Float64Array(MIN_SLOTS);
    this.rttNs = new Float64Array(MIN_SLOTS);
    this.answerMac = new Float64Array(MIN_SLOTS);
    this.errorFrame = new Float64Array(MIN_SLOTS);
    this.views = new Array<Transaction | undefined>(MIN_SLOTS).fill(undefined);
    this.index = new Int32Array(2 * MIN_SLOTS);
    this.indexMask = 2 * MIN_SLOTS - 1;
  }

  /** Transactions held: waiting for their verdict, or kept for late and duplicate replies. */
  get live(): number {
    return this.tailSeq - this.headSeq;
  }

  /** Slots allocated (what the store's memory is proportional to). */
  get capacity(): number {
    return this.slots;
  }

  /** Slot of the held transaction under (k1, k2), or -1. */
  find(k1: number, k2: number): number {
    const idx = this.index;
    const m = this.indexMask;
    for (let i = mix(k1, k2) & m; ; i = (i + 1) & m) {
      const e = idx[i];
      if (e === 0) return -1;
      if (this.srcIp[e - 1] === k1 && this.key2[e - 1] === k2) return e - 1;
    }
  }

  /** A new open transaction from `src` to `dst` keyed (src, key2); returns its slot. */
  open(id: number, src: number, dst: number, key2: number, identifier: number, sequence: number, frameNo: number, sec: number, nsec: number): number {
    this.reserve();
    const s = this.tailSlot;
    this.id[s] = id;
    this.seq[s] = this.tailSeq;
    this.state[s] = OPEN;
    this.srcIp[s] = src;
    this.dstIp[s] = dst;
    this.key2[s] = key2;
    this.identifier[s] = identifier;
    this.sequence[s] = sequence;
    this.requestFrame[s] = frameNo;
    this.requestSec[s] = sec;
    this.requestNsec[s] = nsec;
    this.repeats[s] = 0;
    this.replyFrame[s] = -1;
    this.rttNs[s] = -1;
    this.answerMac[s] = -1;
    this.errorFrame[s] = -1;
    this.tailSeq++;
    this.tailSlot = (s + 1) & this.mask;
    this.insert(s);
    return s;
  }

  /** Next transaction whose timeout has passed at (sec, nsec), moved to the kept range; or -1. */
  nextDue(sec: number, nsec: number): number {
    if (this.dueSeq === this.tailSeq) return -1;
    const s = this.dueSlot;
    if (nsBetween(this.requestSec[s], this.requestNsec[s], sec, nsec) < this.timeoutNs) return -1;
    this.dueSeq++;
    this.dueSlot = (s + 1) & this.mask;
    return s;
  }

  /** Forgets the decided transactions past twice the timeout: no reply can find them any more. */
  retire(sec: number, nsec: number): void {
    const limit = 2 * this.timeoutNs;
    while (this.headSeq < this.dueSeq) {
      const s = this.headSlot;
      if (nsBetween(this.requestSec[s], this.requestNsec[s], sec, nsec) < limit) return;
      this.remove(s);
      this.headSeq++;
      this.headSlot = (s + 1) & this.mask;
    }
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
    this.index.fill(0);
    this.headSeq = this.dueSeq = this.tailSeq;
    this.headSlot = this.dueSlot = this.tailSlot;
  }

  /** Slot still holding the transaction opened as request `seq` with id `id`, or -1. */
  slotOf(seq: number, id: number): number {
    const s = seq % this.slots;
    return this.seq[s] === seq && this.id[s] === id ? s : -1;
  }

  /**
   * The slot as a Transaction object, refreshed from the columns: the same object for a slot
   * every time (until the slot is reused), so a consumer sees one object change state.
   */
  view(s: number): Transaction {
    let tx = this.views[s];
    if (tx === undefined || tx.id !== this.id[s]) {
      const src = this.srcIp[s];
      const dst = this.dstIp[s];
      const at = this.requestSec[s];
      tx = {
        id: this.id[s],
        kind: this.kind,
        state: 'open',
        srcIp: src,
        dstIp: dst,
        srcLabel: this.label(src, at),
        dstLabel: this.label(dst, at),
        identifier: this.identifier[s],
        sequence: this.sequence[s],
        requestFrame: this.requestFrame[s],
        requestSec: at,
        requestNsec: this.requestNsec[s],
        repeats: 0,
        replyFrame: -1,
        rttNs: -1,
        answerMac: -1,
        errorFrame: -1,
      };
      this.views[s] = tx;
    }
    tx.state = STATE_NAMES[this.state[s]];
    tx.repeats = this.repeats[s];
    tx.replyFrame = this.replyFrame[s];
    tx.rttNs = this.rttNs[s];
    tx.answerMac = this.answerMac[s];
    tx.errorFrame = this.errorFrame[s];
    return tx;
  }

  /**
   * Makes the tail slot free to write. The slot a new request overwrites held request
   * tail - slots; it must be retired and out of reach of the annotation window, i.e. the ring must
   * hold more than (most ever held at once + annotateFrames) slots once it wraps.
   */
  private reserve(): void {
    const live = this.tailSeq - this.headSeq + 1;
    if (live > this.maxLive) this.maxLive = live;
    if (this.tailSeq < this.slots) return;
    const need = this.maxLive + this.annotateFrames;
    if (need < this.slots) return;
    let n = this.slots * 2;
    while (n <= need) n *= 2;
    this.grow(n);
  }

  /** Copies every stored slot to a ring of `n` slots (slot = seq mod n) and rebuilds the index. */
  private grow(n: number): void {
    const old = this.slots;
    const kept = Math.min(this.tailSeq, old);
    const first = this.tailSeq - kept;
    const from = (this.tailSlot - kept) & this.mask;
    const move = <T extends Float64Array | Uint32Array | Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      for (let i = 0; i < kept; i++) b[(first + i) % n] = a[(from + i) & (old - 1)];
      return b;
    };
    const f64 = (k: number) => new Float64Array(k);
    const u32 = (k: number) => new Uint32Array(k);
    const i32 = (k: number) => new Int32Array(k);
    this.id = move(this.id, f64);
    this.seq = move(this.seq, (k) => new Float64Array(k).fill(-1));
    this.state = move(this.state, (k) => new Uint8Array(k));
    this.srcIp = move(this.srcIp, u32);
    this.dstIp = move(this.dstIp, u32);
    this.key2 = move(this.key2, u32);
    this.identifier = move(this.identifier, i32);
    this.sequence = move(this.sequence, i32);
    this.requestFrame = move(this.requestFrame, f64);
    this.requestSec = move(this.requestSec, f64);
    this.requestNsec = move(this.requestNsec, u32);
    this.repeats = move(this.repeats, u32);
    this.replyFrame = move(this.replyFrame, f64);
    this.rttNs = move(this.rttNs, f64);
    this.answerMac = move(this.answerMac, f64);
    this.errorFrame = move(this.errorFrame, f64);
    const views = new Array<Transaction | undefined>(n).fill(undefined);
    for (let i = 0; i < kept; i++) views[(first + i) % n] = this.views[(from + i) & (old - 1)];
    this.views = views;
    this.slots = n;
    this.mask = n - 1;
    this.headSlot = this.headSeq % n;
    this.dueSlot = this.dueSeq % n;
    this.tailSlot = this.tailSeq % n;
    this.index = new Int32Array(2 * n);
    this.indexMask = 2 * n - 1;
    // In request order, so a key taken over by a newer request ends up with the newer one.
    for (let q = this.headSeq; q < this.tailSeq; q++) this.insert(q % n);
  }

  private insert(s: number): void {
    const k1 = this.srcIp[s];
    const k2 = this.key2[s];
    const idx = this.index;
    const m = this.indexMask;
    let i = mix(k1, k2) & m;
    for (;;) {
      const e = idx[i];
      if (e === 0 || (this.srcIp[e - 1] === k1 && this.key2[e - 1] === k2)) break;
      i = (i + 1) & m;
    }
    idx[i] = s + 1;
  }

  /** Drops slot `s` from the index if the key still leads to it (a newer request may own the key). */
  private remove(s: number): void {
    const idx = this.index;
    const m = this.indexMask;
    let i = mix(this.srcIp[s], this.key2[s]) & m;
    for (;;) {
      const e = idx[i];
      if (e === 0) return;
      if (e === s + 1) break;
      i = (i + 1) & m;
    }
    // Backward shift: pull later entries of the probe run into the hole unless their home lies
    // cyclically in (hole, position], where they must stay.
    for (let j = (i + 1) & m; ; j = (j + 1) & m) {
      const e = idx[j];
      if (e === 0) break;
      const home = mix(this.srcIp[e - 1], this.key2[e - 1]) & m;
      const stays = i <= j ? i < home && home <= j : i < home || home <= j;
      if (!stays) {
        idx[i] = e;
        i = j;
      }
    }
    idx[i] = 0;
  }
}
