import type { DecodedFrame } from '../decode/index.js';
import { ArpAnalysis, type ArpOptions } from './arp-analysis.js';
import { AnalysisContext, type ContextOptions } from './context.js';
import { EchoAnalysis, type EchoOptions } from './echo-analysis.js';
import { Echo6Analysis } from './echo6-analysis.js';
import { NdpAnalysis, type NdpOptions } from './ndp-analysis.js';
import type { Finding, FindingKind, FrameAnnotation } from './findings.js';
import type { KindAnalysis } from './kind-analysis.js';
import { summarisePairs } from './pair-summary.js';
import type { PairSummary } from './pairs.js';
import { warmUp } from './warm-up.js';

/** Frames that run the expiry pass unconditionally (see Analyzer.expire). */
const WARM_FRAMES = 64;
/** The process's first analyzer warms the analysis paths up (see warmUp); later ones find them warm. */
let warmed = false;
/** Enough for the warm-up to take the annotation paths, which an analyzer may well take. */
const WARM_UP_ANNOTATED = 16;

export interface AnalyzerOptions extends ContextOptions, ArpOptions, EchoOptions, NdpOptions {}

export interface FinishOptions {
  /**
   * Requests still open at the end of input are, by default, unanswered only when the timeout
   * has passed relative to the LAST FRAME seen (the same verdict a live run would have reached
   * then); younger ones are reported as `pending`. True makes every open request unanswered
   * (what a test wants when the capture covers the whole exchange).
   */
  pendingAsUnanswered?: boolean;
}

export interface AnalysisReport {
  frames: number;
  pairs: PairSummary[];
  /** Kept findings in the order they were raised (at most `maxFindings`). */
  findings: Finding[];
  /** Every finding raised, by kind, including those past `maxFindings`. */
  findingCounts: Partial<Record<FindingKind, number>>;
  /** Requests neither answered nor timed out at the end (see FinishOptions). */
  pending: { arp: number; echo: number; ndp: number; echo6: number };
}

/**
 * One-pass ARP/ICMP analysis, fed frame by frame from a live capture or a file. Timeouts run on
 * the frames' own clock, so replaying a capture gives the findings the live run gave. Memory is
 * bounded by open transactions (request rate x 2 x timeout), the hosts seen, and the fixed-size
 * annotation ring, never by the number of frames. `observe` allocates nothing in the steady
 * state: transactions live in typed arrays, and strings and objects are made only for findings,
 * `onTransaction` and `annotation`.
 *
 * The decoded frame is read during `observe` only (it is the decoder's reused object).
 */
export class Analyzer {
  private readonly ctx: AnalysisContext;
  private readonly arp: ArpAnalysis;
  private readonly echo: EchoAnalysis;
  private readonly ndp: NdpAnalysis;
  private readonly echo6: Echo6Analysis;
  /** The four, in the order their verdicts are reached on a frame. */
  private readonly kinds: readonly KindAnalysis[];
  /** Bridge port (ifIndex) each source MAC was last seen on; moves reported once per MAC. */
  private readonly macPorts = new Map<number, number>();
  private readonly moved = new Set<number>();
  private frames = 0;
  private finished: AnalysisReport | undefined;

  constructor(opts: AnalyzerOptions = {}) {
    this.ctx = new AnalysisContext(opts);
    this.arp = new ArpAnalysis(this.ctx, opts);
    this.echo = new EchoAnalysis(this.ctx, opts);
    this.ndp = new NdpAnalysis(this.ctx, opts);
    this.echo6 = new Echo6Analysis(this.ctx, opts);
    this.kinds = [this.arp, this.echo, this.ndp, this.echo6];
    if (!warmed) {
      warmed = true;
      warmUp(new Analyzer({ annotateFrames: WARM_UP_ANNOTATED }));
    }
  }

  /**
   * `ifIndex` is the port the frame was seen on, when the capture has one per bridge port (host
   * veths): a source MAC seen on two ports is reported as moved. Leave it undefined when all
   * frames come from one interface, or when one interface is the bridge itself (every frame
   * would also be seen there).
   */
  observe(f: DecodedFrame, frameNo: number, tsSec: number, tsNsec: number, ifIndex?: number): void {
    if (this.finished) throw new Error('Analyzer.observe after finish()');
    const clock = this.ctx.clock;
    this.frames++;
    clock.set(tsSec, tsNsec);
    if (clock.now >= clock.alarm) this.expire();
    if (ifIndex !== undefined) this.port(f, frameNo, ifIndex);
    // All three read every frame, so a first frame of another kind mid-capture meets optimised
    // code that has seen these loads.
    const arp = f.arp;
    const icmp = f.icmp;
    const icmp6 = f.icmp6;
    if (arp) this.arp.observe(arp, frameNo);
    else if (icmp && f.ipv4) this.echo.observe(f, frameNo);
    else if (icmp6?.complete) {
      if (icmp6.isNeighborDiscovery) this.ndp.observe(f, frameNo);
      else this.echo6.observe(f, frameNo);
    }
  }

  /**
   * The verdicts and retirements due at the clock's `now`, then the next alarm. The first
   * WARM_FRAMES frames run it whatever the alarm says (nothing is due that early, so it changes
   * nothing): V8 records what a call does only once its caller has run a few times, and code
   * optimised without that record is thrown away, and optimised again, when the first timeout of
   * a capture comes.
   */
  private expire(): void {
    const clock = this.ctx.clock;
    const now = clock.now;
    clock.alarm = clock.tick < WARM_FRAMES ? -Infinity : Infinity;
    for (const kind of this.kinds) {
      if (now >= kind.store.checkAt) kind.expire();
      clock.alarm = Math.min(clock.alarm, kind.store.checkAt);
    }
  }

  /** RTT in ns of the request that reply frame `frameNo` answered; -1 if it is no such reply. */
  replyRttNs(frameNo: number): number {
    return this.ctx.replyRttNs(frameNo);
  }

  /** The transaction frame `frameNo` belongs to, if it is among the last `annotateFrames` frames. */
  annotation(frameNo: number): FrameAnnotation | undefined {
    return this.ctx.annotation(frameNo);
  }

  /** Findings so far (bounded by `maxFindings`). */
  get findings(): readonly Finding[] {
    return this.ctx.findings;
  }

  /** Transactions held right now (open, or recently closed and kept for late or duplicate replies). */
  get openTransactions(): number {
    return this.arp.open + this.echo.open + this.ndp.open + this.echo6.open;
  }

  /**
   * Transaction slots allocated: the analysis memory, bounded by the transactions held at once
   * plus those the last `annotateFrames` frames belong to (rounded up to powers of two), whatever
   * the number of frames.
   */
  get transactionSlots(): number {
    return this.ctx.transactionSlots;
  }

  /** Pair table so far, for a live UI; requests not yet decided count as neither lost nor answered. */
  pairs(): PairSummary[] {
    return summarisePairs(this.ctx);
  }

  /** Ends the input: flushes the open transactions (see FinishOptions) and returns the report. Idempotent. */
  finish(opts: FinishOptions = {}): AnalysisReport {
    if (this.finished) return this.finished;
    const all = opts.pendingAsUnanswered ?? false;
    const pending = { arp: this.arp.finish(all), echo: this.echo.finish(all), ndp: this.ndp.finish(all), echo6: this.echo6.finish(all) };
    this.finished = {
      frames: this.frames,
      pairs: summarisePairs(this.ctx),
      findings: this.ctx.findings,
      findingCounts: Object.fromEntries(this.ctx.findingCounts),
      pending,
    };
    return this.finished;
  }

  private port(f: DecodedFrame, frameNo: number, ifIndex: number): void {
    const mac = f.srcMacNum;
    if (mac === undefined) return;
    const prev = this.macPorts.get(mac);
    if (prev === ifIndex) return;
    this.macPorts.set(mac, ifIndex);
    if (prev === undefined || this.moved.has(mac)) return;
    this.moved.add(mac);
    const ctx = this.ctx;
    ctx.report('mac-moved', 'warning', [frameNo], ctx.clock.sec, ctx.clock.nsec,
      `${ctx.macLabel(mac)} moved from interface ${prev} to interface ${ifIndex}`);
  }
}
