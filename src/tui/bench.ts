import { noNames, type Resolver } from '../annotate/endpoint.js';
import type { CaptureSource } from '../source/frame-batch.js';
import { pumpSource } from './pipeline.js';
import type { FrameRingOptions } from './store/frame-ring.js';
import { TuiStore } from './store/tui-store.js';
import { FrameRowsModel } from './view-model/frame-rows.js';

export interface StoreBenchResult {
  frames: number;
  seconds: number;
  peakRssMb: number;
}

/**
 * The UI's data path without a terminal: the source pumped into the store, and every throttled
 * publish answered like a render would (the visible window's rows built by decoding on demand).
 * RSS is sampled at every publish.
 */
export async function benchStore(
  source: CaptureSource,
  opts: { resolver?: Resolver; ring?: FrameRingOptions; listRows?: number; filter?: string } = {},
): Promise<StoreBenchResult> {
  const store = new TuiStore({ resolver: opts.resolver ?? noNames, ring: opts.ring, filter: opts.filter });
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
