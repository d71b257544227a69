import type { CaptureSource, CaptureStats, FrameBatch } from '../source/frame-batch.js';
import type { CopyLayout } from './copy-layout.js';
import { CopyMerger } from './copy-merger.js';

export interface CopyMergeOptions {
  /** Keep every copy as captured (`--all-copies`): mergeCopies returns the source itself. */
  allCopies?: boolean;
  /** How far apart, on the frames' clock, the copies of one frame may be; default 5 ms. */
  windowMs?: number;
  /**
   * The same for copies seen on different hosts (remote capture, `host:target`), whose times come
   * from two clocks: how far those clocks may disagree, plus the trip; default 25 ms.
   */
  hostWindowMs?: number;
  /**
   * When the source delivers nothing for this long (wall clock), held frames are emitted without
   * waiting for later frames to close their window; default 50 ms. A live capture that goes quiet
   * thus still shows its last frames; it is long enough that a file read never hits it.
   */
  idleMs?: number;
}

const DEFAULT_COPY_WINDOW_MS = 5;
const DEFAULT_HOST_WINDOW_MS = 25;
const DEFAULT_IDLE_MS = 50;
const IDLE = Symbol('idle');

/**
 * The copy merge as a source stage: one frame seen on several interfaces of one capture comes out
 * once, with its hops (see CopyMerger for how copies are told apart). It wraps any source, live or
 * file, so a pcapng written with every copy replays as the live capture showed it. While a source
 * has fewer than two interfaces its batches pass through untouched, at no cost per frame, and so
 * do batches merged already (they carry hops): a source is never merged twice.
 */
export class CopyMergeSource implements CaptureSource {
  private readonly merger: CopyMerger;
  private readonly idleMs: number;

  constructor(
    private readonly inner: CaptureSource,
    layout: CopyLayout,
    opts: Omit<CopyMergeOptions, 'allCopies'> = {},
  ) {
    this.merger = new CopyMerger(layout, (opts.windowMs ?? DEFAULT_COPY_WINDOW_MS) * 1e6, (opts.hostWindowMs ?? DEFAULT_HOST_WINDOW_MS) * 1e6);
    // A quiet spell shorter than the source's own hold-back is not the end of a burst.
    this.idleMs = (opts.idleMs ?? DEFAULT_IDLE_MS) + (inner.holdBackMs ?? 0);
  }

  get label(): string {
    return this.inner.label;
  }

  /** Copies folded into an earlier frame so far. */
  get merged(): number {
    return this.merger.merged;
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  stats(): CaptureStats[] {
    return this.inner.stats();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<FrameBatch> {
    const it = this.inner[Symbol.asyncIterator]();
    const m = this.merger;
    let pull: Promise<IteratorResult<FrameBatch>> | undefined;
    try {
      for (;;) {
        pull ??= it.next();
        const r = m.held > 0 ? await idleRace(pull, this.idleMs) : await pull;
        if (r === IDLE) {
          const out = m.flush();
          if (out) yield out;
          continue;
        }
        pull = undefined;
        if (r.done) break;
        const b = r.value;
        if (m.held === 0 && (b.interfaces.length < 2 || b.hops)) {
          yield b;
          continue;
        }
        const out = m.push(b);
        if (out) yield out;
      }
      const rest = m.flush();
      if (rest) yield rest;
    } finally {
      // A pull left waiting on a quiet live source only settles once the source is closed.
      if (pull) {
        await this.inner.close();
        await pull.catch(() => undefined);
      }
      await it.return?.();
    }
  }
}

function idleRace<T>(p: Promise<T>, ms: number): Promise<T | typeof IDLE> {
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<typeof IDLE>((resolve) => (timer = setTimeout(() => resolve(IDLE), ms)));
  return Promise.race([p, idle]).finally(() => clearTimeout(timer));
}

/** How consumers put the stage in: the source itself with `allCopies`, else the source merged. */
export function mergeCopies(source: CaptureSource, layout: CopyLayout, opts: CopyMergeOptions = {}): CaptureSource {
  if (opts.allCopies || source instanceof CopyMergeSource) return source;
  return new CopyMergeSource(source, layout, opts);
}
