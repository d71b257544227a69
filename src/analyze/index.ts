export { Analyzer, type AnalysisReport, type AnalyzerOptions, type FinishOptions } from './analyzer.js';
export { analyzeFrames, analyzeSource, type AnalyzeSourceOptions } from './analyze-source.js';
export type { Finding, FindingKind, FrameAnnotation, FrameRole, Severity, Transaction, TransactionKind, TransactionState } from './findings.js';
export type { PairSummary } from './pairs.js';
export { RTT_RESERVOIR, type RttSummary } from './rtt-stats.js';
export {
  ExpectationBuilder, parseDuration, parseEndpoint, sequence,
  type ArpOpPattern, type Count, type EndpointRef, type Expectation, type Forbidden, type FramePattern, type IcmpOptions,
  type IcmpTypePattern, type Step, type StepGroup,
} from './expectation.js';
export { ExpectationSyntaxError, parseExpectation } from './expectation-parser.js';
export { SequenceMatcher, type FailureKind, type MatchFailure, type MatchOptions, type MatchResult, type NearMiss, type StepResult } from './matcher.js';
export type { FrameLine } from './frame-memory.js';
export { formatMatchReport } from './match-report.js';
export { ExpectationNotMetError, expectSequence, matchExpectation, toExpectation, type ExpectationInput } from './match-expectation.js';
