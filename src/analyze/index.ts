export { Analyzer, type AnalysisReport, type AnalyzerOptions, type FinishOptions } from './analyzer.js';
export { analyzeFrames, analyzeSource, type AnalyzeSourceOptions } from './analyze-source.js';
export type { Finding, FindingKind, FrameAnnotation, FrameRole, Severity, Transaction, TransactionKind, TransactionState } from './findings.js';
export type { PairSummary } from './pairs.js';
export { RTT_RESERVOIR, type RttSummary } from './rtt-stats.js';
