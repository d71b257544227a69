export { runTui, type TuiOptions } from './run.js';
export { benchStore, type StoreBenchResult } from './bench.js';
export { TuiStore, type Snapshot, type TuiStoreOptions } from './store/tui-store.js';
export type { AnalysisFeed, FrameMark, PairAnalysis } from './store/analysis-feed.js';
export type { FrameRingOptions } from './store/frame-ring.js';
export { compileFilter, FilterSyntaxError, type FramePredicate } from './filter/display-filter.js';
export { analyzerFeed } from './store/analyzer-feed.js';
