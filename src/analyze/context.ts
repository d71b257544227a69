import type { Resolver } from '../annotate/endpoint.js';
import { noNames } from '../annotate/endpoint.js';
import { formatIpv4Number, formatMacNumber } from '../decode/index.js';
import { sanitize } from '../present/sanitize.js';
import type { Finding, FindingKind, FrameRole, Severity, Transaction, TransactionKind } from './findings.js';
import { FrameAnnotations } from './frame-annotations.js';
import { PairTable } from './pairs.js';

const LABEL_CACHE_LIMIT = 4096;

export interface ContextOptions {
  resolver?: Resolver;
  annotateFrames?: number;
  maxFindings?: number;
  onTransaction?: (tx: Transaction) => void;
  onFinding?: (f: Finding) => void;
}

/**
 * State the ARP and ICMP analyses share: the frame clock, names, findings, pairs and the
 * per-frame annotations. Labels are resolved when an address is first seen and cached (bounded),
 * so naming costs a map hit, not a string, per frame.
 */
export class AnalysisContext {
  readonly resolver: Resolver;
  readonly annotations: FrameAnnotations;
  readonly pairs = new PairTable();
  readonly findings: Finding[] = [];
  readonly findingCounts = new Map<FindingKind, number>();
  /** Latest frame time seen: timeouts are measured on it, never on the wall clock. */
  nowSec = -Infinity;
  nowNsec = 0;
  private readonly maxFindings: number;
  private readonly ipLabels = new Map<number, string>();
  private readonly macLabels = new Map<number, string>();
  private nextTxId = 1;

  constructor(private readonly opts: ContextOptions) {
    this.resolver = opts.resolver ?? noNames;
    this.annotations = new FrameAnnotations(opts.annotateFrames ?? 65_536);
    this.maxFindings = opts.maxFindings ?? 10_000;
  }

  advance(sec: number, nsec: number): void {
    if (sec > this.nowSec || (sec === this.nowSec && nsec > this.nowNsec)) {
      this.nowSec = sec;
      this.nowNsec = nsec;
    }
  }

  ipLabel(ip: number): string {
    let l = this.ipLabels.get(ip);
    if (l === undefined) {
      l = sanitize(this.resolver.byIpv4(ip, this.nowSec)?.label ?? formatIpv4Number(ip));
      if (this.ipLabels.size >= LABEL_CACHE_LIMIT) this.ipLabels.clear();
      this.ipLabels.set(ip, l);
    }
    return l;
  }

  macLabel(mac: number): string {
    let l = this.macLabels.get(mac);
    if (l === undefined) {
      const e = this.resolver.byMac(mac, this.nowSec);
      l = e ? `${formatMacNumber(mac)} (${sanitize(e.label)})` : formatMacNumber(mac);
      if (this.macLabels.size >= LABEL_CACHE_LIMIT) this.macLabels.clear();
      this.macLabels.set(mac, l);
    }
    return l;
  }

  openTransaction(kind: TransactionKind, srcIp: number, dstIp: number, frameNo: number, sec: number, nsec: number): Transaction {
    const tx: Transaction = {
      id: this.nextTxId++,
      kind,
      state: 'open',
      srcIp,
      dstIp,
      srcLabel: this.ipLabel(srcIp),
      dstLabel: this.ipLabel(dstIp),
      identifier: -1,
      sequence: -1,
      requestFrame: frameNo,
      requestSec: sec,
      requestNsec: nsec,
      repeats: 0,
      replyFrame: -1,
      rttNs: -1,
      answerMac: -1,
      errorFrame: -1,
    };
    this.annotations.set(frameNo, tx, 'request');
    this.opts.onTransaction?.(tx);
    return tx;
  }

  /** Records a frame's part in a transaction and tells the live UI the transaction changed. */
  touch(tx: Transaction, frameNo: number, role: FrameRole): void {
    if (role !== 'request') this.annotations.set(frameNo, tx, role);
    this.opts.onTransaction?.(tx);
  }

  /** Findings beyond `maxFindings` are still counted and still reach `onFinding`, but not kept. */
  report(kind: FindingKind, severity: Severity, frames: number[], sec: number, nsec: number, text: string, extra?: Partial<Finding>): void {
    const f: Finding = { kind, severity, frames, tsSec: sec, tsNsec: nsec, text, ...extra };
    this.findingCounts.set(kind, (this.findingCounts.get(kind) ?? 0) + 1);
    if (this.findings.length < this.maxFindings) this.findings.push(f);
    this.opts.onFinding?.(f);
  }
}
