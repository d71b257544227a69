import type { Resolver } from '../../model/endpoint.js';
import { ipv6LayerCount } from '../view-model/ipv6-layers.js';
import { FrameDecoder, type DecodedFrame } from '../../decode/index.js';
import type { CaptureStats, FrameBatch } from '../../source/frame-batch.js';
import { compileFilter, FilterSyntaxError, type FramePredicate } from '../filter/display-filter.js';
import type { AnalysisFeed } from './analysis-feed.js';
import { FrameHistory } from './frame-history.js';
import { HopLog } from './hop-log.js';
import type { FrameRing, FrameRingOptions } from './frame-ring.js';
import type { FrameSpillOptions } from './frame-spill.js';
import { MatchList } from './match-list.js';
import { RateMeter } from './rate-meter.js';
import { TrafficCounts } from './traffic-counts.js';
import { initialUiState, uiReducer, visibleEnd, type Action, type ListBounds, type UiState } from './ui-state.js';

export interface TuiStoreOptions {
  resolver: Resolver;
  ring?: FrameRingOptions;
  /** Where frames leaving the ring go (default: a spill file under os.tmpdir()); false drops them. */
  spill?: FrameSpillOptions | false;
  /** Most snapshots published per second while frames arrive (default 20). */
  renderHz?: number;
  analysis?: AnalysisFeed;
  /** Live sources' counters, polled at most twice a second for the header. */
  stats?: () => CaptureStats[];
  filter?: string;
  /** Milliseconds clock (tests pass their own). */
  now?: () => number;
}

/** An immutable picture of the session for one render. Frame data is read through the store. */
export interface Snapshot {
  rev: number;
  ui: UiState;
  /** Frames and bytes (original lengths) received since the start. */
  frames: number;
  bytes: number;
  /** Frames held (ring and spill file), and older frames no longer held (still counted in `frames`). */
  held: number;
  droppedFromRing: number;
  /** Of `held`, the frames kept in the spill file rather than the ring. */
  spilled: number;
  /** Current list (filtered or not): positions [listFirst, listEnd) as displayed (frozen when paused). */
  listFirst: number;
  listEnd: number;
  /** Frames in the list that arrived after the display was paused. */
  newWhilePaused: number;
  framesPerSecond: number;
  kernelDrops: number;
  elapsedMs: number;
  ended: boolean;
  error?: string;
}

/**
 * Session state outside React. The pipeline calls `ingest` per batch (frames are copied into the
 * ring, counted, matched against the display filter and handed to the analyzer, with one reused
 * decoder); frames leaving the ring go to the spill file, and views read any held frame through
 * `frames`, whichever side holds it. The UI calls `dispatch`. Subscribers are notified at most `renderHz` times a second
 * for arriving frames and at once for user actions, so rendering cost does not grow with the
 * frame rate.
 */
export class TuiStore {
  readonly frames: FrameHistory;
  readonly resolver: Resolver;
  readonly traffic = new TrafficCounts();
  /** Where merged frames were seen (their hops), for the detail pane. */
  readonly hops: HopLog;
  readonly analysis?: AnalysisFeed;
  private readonly matches: MatchList;
  private readonly decoder = new FrameDecoder();
  private predicate: FramePredicate | undefined;
  private ui: UiState;
  private snapshot: Snapshot;
  private readonly listeners = new Set<() => void>();
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly statsFn?: () => CaptureStats[];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private clock: ReturnType<typeof setInterval> | undefined;
  private rev = 0;
  private totalFrames = 0;
  private totalBytes = 0;
  private readonly startedAt: number;
  /** The header's frames per second, by capture time (see RateMeter). */
  private readonly rate = new RateMeter();
  private drops = 0;
  private statsAt = -Infinity;
  private ended = false;
  private error: string | undefined;
  private spillReported = false;
  /** Timestamp of the first frame, for relative times. */
  firstTsSec = Number.NaN;
  firstTsNsec = 0;

  constructor(opts: TuiStoreOptions) {
    this.resolver = opts.resolver;
    this.frames = new FrameHistory(opts.ring, opts.spill);
    this.matches = new MatchList(this.ring.capacity);
    this.hops = new HopLog(this.ring.capacity);
    this.analysis = opts.analysis;
    this.statsFn = opts.stats;
    this.now = opts.now ?? (() => performance.now());
    this.intervalMs = 1000 / (opts.renderHz ?? 20);
    this.startedAt = this.now();
    this.ui = initialUiState();
    this.snapshot = this.build();
    if (opts.filter) this.applyFilter(opts.filter);
  }

  /** The in-memory part of `frames` (read frames through `frames`: older indices are on disk). */
  get ring(): FrameRing {
    return this.frames.ring;
  }

  /** Copies a batch in. Called by the pipeline; the batch may be reused after it returns. */
  ingest(b: FrameBatch): void {
    const pred = this.predicate;
    const now = this.now();
    if (this.totalFrames === 0 && b.count > 0) {
      this.firstTsSec = b.tsSec[0];
      this.firstTsNsec = b.tsNsec[0];
    }
    this.ingestFrames(b, this.ring.pushBatch(b), now, pred);
    this.totalFrames += b.count;
    if (pred) this.matches.trim(this.frames.first);
    if (this.frames.spillError !== undefined && !this.spillReported) this.reportSpillError(this.frames.spillError);
    this.schedule();
  }

  /**
   * The per-frame part of `ingest`, frames numbered from `first`. A function of its own because
   * V8 compiles a long first batch's loop on the stack (OSR) before the code after the loop has
   * ever run: in one function, every later batch left the compiled loop at its end for the
   * interpreter (one bailout per batch, 217 on a 1 M-frame file), and nothing ever replaced it.
   */
  private ingestFrames(b: FrameBatch, first: number, now: number, pred: FramePredicate | undefined): void {
    const { data, offset, capLen, origLen, tsSec, tsNsec } = b;
    for (let i = 0; i < b.count; i++) {
      const index = first + i;
      const ifc = b.interfaces[b.ifIndex[i]];
      this.rate.add(tsSec[i], tsNsec[i], now);
      if (b.hops) this.hops.record(index, b, i);
      this.totalBytes += origLen[i];
      const f = this.decoder.decodeAt(data, offset[i], capLen[i], ifc === undefined ? 1 : ifc.linkType, origLen[i]);
      this.traffic.count(f);
      this.analysis?.onFrame(f, index, tsSec[i], tsNsec[i]);
      if (pred && pred(f, this.resolver, tsSec[i])) this.matches.push(index);
    }
  }

  /** The source ended (or failed): the list stays, the header says so. */
  end(error?: unknown): void {
    this.ended = true;
    if (error !== undefined) this.error = error instanceof Error ? error.message : String(error);
    this.publish();
  }

  dispatch(a: Action): void {
    if (a.type === 'escape' && this.ui.prompt === null && !this.ui.help && this.ui.filter !== '') {
      this.applyFilter('');
      return;
    }
    let next = uiReducer(this.ui, a, this.bounds());
    if (a.type === 'layer') next = { ...next, layer: Math.min(next.layer, this.layerCountOfSelection() - 1) };
    this.setUi(next);
  }

  /** Compiles and applies a display filter; a syntax error leaves the old one and says why. */
  applyFilter(text: string): void {
    let pred: FramePredicate | undefined;
    try {
      pred = compileFilter(text);
    } catch (e) {
      if (!(e instanceof FilterSyntaxError)) throw e;
      this.setUi({ ...this.ui, prompt: null, status: e.message });
      return;
    }
    this.predicate = pred;
    this.matches.clear();
    if (pred) {
      // Only the newest ring's capacity of frames is searched (the spill file can be far larger);
      // matches found from here on stay in the list after their frames are spilled, up to that many.
      const ring = this.ring;
      for (let i = ring.newest; i < ring.end; i++) {
        const tsSec = ring.tsSecOf(i);
        if (pred(this.decodeIndex(this.decoder, i), this.resolver, tsSec)) this.matches.push(i);
      }
    }
    this.setUi(uiReducer(this.ui, { type: 'filterApplied', text: text.trim() }, this.bounds()));
  }

  get filtered(): boolean {
    return this.predicate !== undefined;
  }

  /** Current list bounds (live, not frozen by pause). */
  bounds(): ListBounds {
    return this.predicate ? { first: this.matches.start, end: this.matches.end } : { first: this.frames.first, end: this.frames.end };
  }

  /** Frame index of a list position, or -1 when that frame is no longer held. */
  indexAt(pos: number): number {
    const b = this.bounds();
    if (pos < b.first || pos >= b.end) return -1;
    return this.predicate ? this.matches.at(pos) : pos;
  }

  /** Decodes a held frame with the caller's decoder (each view owns one; results are reused). */
  decodeIndex(decoder: FrameDecoder, index: number): DecodedFrame {
    const r = this.frames;
    return decoder.decode(r.bytes(index), r.linkTypeOf(index), r.origLenOf(index));
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): Snapshot => this.snapshot;

  /** Publishes now (tests, and the end of a headless run). */
  flush(): void {
    this.publish();
  }

  /** Ticks once a second so elapsed time and rate move when no frames arrive. */
  startClock(): void {
    this.clock ??= setInterval(() => this.publish(), 1000);
    this.clock.unref?.();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.clock) clearInterval(this.clock);
    this.timer = undefined;
    this.clock = undefined;
    this.listeners.clear();
    this.frames.dispose();
  }

  private layerCountOfSelection(): number {
    const index = this.indexAt(this.ui.selected);
    if (index < 0) return 1;
    const f = this.decodeIndex(this.decoder, index);
    let n = 1 + (f.eth || f.sll ? 1 : 0) + f.vlan.count + (f.arp ? 1 : 0) + (f.ipv4 ? 1 : 0) + ipv6LayerCount(f) + (f.icmp ? 1 : 0);
    if (f.quotedIpv4) n++;
    return n;
  }

  /** Said once in the status line; the list then starts at the ring again. */
  private reportSpillError(reason: string): void {
    this.spillReported = true;
    this.ui = { ...this.ui, status: `spill file stopped (${reason}): frames older than the ring are no longer kept` };
  }

  private setUi(next: UiState): void {
    if (next === this.ui) return;
    this.ui = next;
    this.publish();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.publish();
    }, this.intervalMs);
    this.timer.unref?.();
  }

  private publish(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const bounds = this.bounds();
    this.ui = uiReducer(this.ui, { type: 'frames' }, bounds);
    this.snapshot = this.build();
    for (const l of this.listeners) l();
  }

  private build(): Snapshot {
    const now = this.now();
    if (this.statsFn && now - this.statsAt >= 500) {
      this.statsAt = now;
      this.drops = 0;
      for (const s of this.statsFn()) this.drops += s.droppedByKernel + s.droppedByInterface;
    }
    const bounds = this.bounds();
    const end = visibleEnd(this.ui, bounds);
    return {
      rev: ++this.rev,
      ui: this.ui,
      frames: this.totalFrames,
      bytes: this.totalBytes,
      held: this.frames.size,
      droppedFromRing: this.frames.dropped,
      spilled: this.frames.size - this.ring.size,
      listFirst: bounds.first,
      listEnd: end,
      newWhilePaused: bounds.end - end,
      // Until the frames span two timestamp buckets (or when they carry no time), the average since the start.
      framesPerSecond: this.rate.perSecond(now) ?? (now > this.startedAt ? (this.totalFrames * 1000) / (now - this.startedAt) : 0),
      kernelDrops: this.drops,
      elapsedMs: now - this.startedAt,
      ended: this.ended,
      error: this.error,
    };
  }
}
