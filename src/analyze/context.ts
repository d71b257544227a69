import { endpointName, noNames, type Endpoint, type Resolver } from '../model/endpoint.js';
import { formatIpv4Number, formatIpv6, formatMacNumber } from '../decode/index.js';
import type { Finding, FindingKind, FrameAnnotation, Severity, Transaction, TransactionKind } from './findings.js';
import { FrameAnnotations, ROLE_REPLY, ROLE_REQUEST } from './frame-annotations.js';
import { FrameClock } from './frame-time.js';
import { PairTable } from './pairs.js';
import { ANSWERED, KIND_CODES, KIND_COUNT, TransactionStore, type Labeler } from './transaction-store.js';
import { Ipv6Keys } from '../annotate/ipv6-keys.js';

const LABEL_CACHE_LIMIT = 4096;

export interface ContextOptions {
  resolver?: Resolver;
  annotateFrames?: number;
  maxFindings?: number;
  /**
   * Each change of a transaction (opened, repeated, answered, timed out, errored), with its
   * Transaction object: the same object every time. Setting it costs one object per request;
   * without it the analysis makes none.
   */
  onTransaction?: (tx: Transaction) => void;
  onFinding?: (f: Finding) => void;
}

/**
 * State the ARP and ICMP analyses share: the frame clock, names, findings, pairs, the
 * transaction stores and the per-frame annotations. Labels are resolved only when a finding or a
 * Transaction object is made (never per frame) and cached (bounded).
 */
export class AnalysisContext {
  readonly resolver: Resolver;
  readonly annotations: FrameAnnotations;
  readonly pairs = new PairTable();
  /** IPv6 pairs, keyed by the addresses' `ip6` keys; summarised into the same rows by identity. */
  readonly pairs6 = new PairTable();
  /** IPv6 addresses seen, as small integers the stores and pair table key on (see ip6Id). */
  readonly ip6 = new Ipv6Keys();
  private readonly ip6Labels = new Map<number, string>();
  readonly findings: Finding[] = [];
  readonly findingCounts = new Map<FindingKind, number>();
  readonly clock = new FrameClock();
  private readonly maxFindings: number;
  private readonly ipLabels = new Map<number, string>();
  private readonly macLabels = new Map<number, string>();
  /** By kind code, the low bit of a transaction id minus one (see TransactionStore). */
  private readonly stores: TransactionStore[] = [];

  constructor(private readonly opts: ContextOptions) {
    this.resolver = opts.resolver ?? noNames;
    this.annotations = new FrameAnnotations(opts.annotateFrames ?? 65_536);
    this.maxFindings = opts.maxFindings ?? 10_000;
  }

  /** An address's label; the first lookup of an address asks the resolver as of `atSec`. */
  ipLabel(ip: number, atSec = this.clock.nowSec): string {
    let l = this.ipLabels.get(ip);
    if (l === undefined) {
      l = named(this.resolver.byIpv4(ip, atSec)) ?? formatIpv4Number(ip);
      if (this.ipLabels.size >= LABEL_CACHE_LIMIT) this.ipLabels.clear();
      this.ipLabels.set(ip, l);
    }
    return l;
  }

  /** The key of the IPv6 address at `b[o, o + 16)`: one allocation the first time an address is seen. */
  ip6Id(b: Uint8Array, o: number): number {
    return this.ip6.internAt(b, o);
  }

  /** An IPv6 address's label (by its `ip6Id`), cached as `ipLabel` is. */
  ip6Label(id: number, atSec = this.clock.nowSec): string {
    let l = this.ip6Labels.get(id);
    if (l === undefined) {
      const b = this.ip6.bytesOf(id);
      l = named(this.resolver.byIpv6?.(b, 0, atSec)) ?? formatIpv6(b, 0);
      if (this.ip6Labels.size >= LABEL_CACHE_LIMIT) this.ip6Labels.clear();
      this.ip6Labels.set(id, l);
    }
    return l;
  }

  macLabel(mac: number): string {
    let l = this.macLabels.get(mac);
    if (l === undefined) {
      const e = this.resolver.byMac(mac, this.clock.nowSec);
      l = e ? `${formatMacNumber(mac)} (${endpointName(e)})` : formatMacNumber(mac);
      if (this.macLabels.size >= LABEL_CACHE_LIMIT) this.macLabels.clear();
      this.macLabels.set(mac, l);
    }
    return l;
  }

  /** The store of one kind's transactions, kept for the annotation window of this context. */
  newStore(kind: TransactionKind, timeoutNs: number, label: Labeler = (ip, at) => this.ipLabel(ip, at)): TransactionStore {
    const store = new TransactionStore(kind, timeoutNs, this.annotations.capacity, this.clock, label);
    this.stores[KIND_CODES[kind]] = store;
    return store;
  }

  /** Opens a transaction in `store` under the key its last `find` looked up (see TransactionStore.open). */
  openTransaction(store: TransactionStore, dst: number, frameNo: number): number {
    const slot = store.open(dst, frameNo);
    if (this.annotations.capacity > 0) this.annotations.set(frameNo, store.idOf(slot), ROLE_REQUEST);
    if (this.opts.onTransaction) this.opts.onTransaction(store.view(slot));
    return slot;
  }

  /** Records a frame's part (a ROLE_ code) in a transaction and tells the live UI it changed. */
  touch(store: TransactionStore, slot: number, frameNo: number, role: number): void {
    if (role !== ROLE_REQUEST && this.annotations.capacity > 0) {
      this.annotations.set(frameNo, store.idOf(slot), role);
      store.lastTick[slot] = this.clock.tick;
    }
    if (this.opts.onTransaction) this.opts.onTransaction(store.view(slot));
  }

  /**
   * The RTT a reply closed, read from the columns without building a Transaction: what a line
   * printer asks for every reply. -1 when `frameNo` is not an answering reply in the window.
   */
  replyRttNs(frameNo: number): number {
    const id = this.annotations.txId(frameNo);
    if (id <= 0 || this.annotations.roleCode(frameNo) !== ROLE_REPLY) return -1;
    const store = this.stores[(id - 1) % KIND_COUNT];
    const slot = store ? store.slotOf(id) : -1;
    return slot >= 0 && store.state[slot] === ANSWERED ? store.rttNs[slot] : -1;
  }

  /** The transaction frame `frameNo` belongs to, while the frame is in the annotation window. */
  annotation(frameNo: number): FrameAnnotation | undefined {
    const id = this.annotations.txId(frameNo);
    const store = id > 0 ? this.stores[(id - 1) % KIND_COUNT] : undefined;
    const slot = store ? store.slotOf(id) : -1;
    return slot < 0 ? undefined : { transaction: store!.view(slot), role: this.annotations.role(frameNo) };
  }

  /** Transaction slots allocated across the stores: what the analysis memory grows with. */
  get transactionSlots(): number {
    return this.stores.reduce((n, s) => n + s.capacity, 0);
  }

  /** Findings beyond `maxFindings` are still counted and still reach `onFinding`, but not kept. */
  report(kind: FindingKind, severity: Severity, frames: number[], sec: number, nsec: number, text: string, extra?: Partial<Finding>): void {
    const f: Finding = { kind, severity, frames, tsSec: sec, tsNsec: nsec, text, ...extra };
    this.findingCounts.set(kind, (this.findingCounts.get(kind) ?? 0) + 1);
    if (this.findings.length < this.maxFindings) this.findings.push(f);
    this.opts.onFinding?.(f);
  }
}

const named = (e: Endpoint | undefined): string | undefined => (e ? endpointName(e) : undefined);
