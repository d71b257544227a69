import { noNames, type Resolver } from '../model/endpoint.js';
import type { CaptureSource } from '../source/frame-batch.js';
import { pumpSource } from './pipeline.js';
import { analyzerFeed } from './store/analyzer-feed.js';
import { DEFAULT_RING_FRAMES, type FrameRingOptions } from './store/frame-ring.js';
import { TuiStore } from './store/tui-store.js';
import { FrameRowsModel } from './view-model/frame-rows.js';

export interface StoreBenchResult {
  frames: number;
  seconds: number;
  peakRssMb: number;
}

/**
 * The UI's data path without a terminal: the source pumped into the store (with the analyzer, as
 * runTui does), and every throttled
 * publish answered like a render would (the visible window's rows built by decoding on demand).
 * RSS is sampled at every publish.
 */
export async function benchStore(
  source: CaptureSource,
  opts: { resolver?: Resolver; ring?: FrameRingOptions; listRows?: number; filter?: string; analysis?: boolean } = {},
): Promise<StoreBenchResult> {
  const resolver = opts.resolver ?? noNames;
  // The analyzer runs as in runTui unless `analysis: false` (to measure the store alone).
  const analysis = opts.analysis === false ? undefined : analyzerFeed(resolver, opts.ring?.frames ?? DEFAULT_RING_FRAMES);
  const store = new TuiStore({ resolver, ring: opts.ring, filter: opts.filter, analysis });
  const rows = new FrameRowsModel(store);
  store.dispatch({ type: 'listRows', rows: opts.listRows ?? 40 });
  let peak = process.memoryUsage.rss();
  const unsubscribe = store.subscribe(() => {
    rows.rows(store.getSnapshot());
    peak = Math.max(peak, process.memoryUsage.rss());
  });
  const start = performance.now();
  const error = await pumpSource(source, store);
  const seconds = (performance.now() - start) / 1000;
  peak = Math.max(peak, process.memoryUsage.rss());
  unsubscribe();
  store.dispose();
  if (error !== undefined) throw error;
  return { frames: store.getSnapshot().frames, seconds, peakRssMb: peak / (1024 * 1024) };
}
