/**
 * The library API: what a test suite or a tool imports from 'bridgescope'.
 *
 *   import { capture, expectSequence } from 'bridgescope';
 *   const cap = await capture('br_xx');
 *   await runPing();
 *   const got = await cap.stop();
 *   await expectSequence(got, 'arp request web-bridge-1 -> web-bridge-2\nicmp echo-reply web-bridge-2 -> web-bridge-1');
 *
 * vitest matchers live in 'bridgescope/vitest' so the library does not load vitest.
 */
export { capture, replay, type CaptureOptions, type RecordedFrames, type ReplayOptions, type RunningCapture } from './session/recorded.js';
export { runTrace, type TraceOptions, type TraceResult } from './session/trace.js';
export {
  Analyzer, analyzeFrames, analyzeSource,
  type AnalysisReport, type Finding, type FindingKind, type PairSummary,
} from './analyze/index.js';
export {
  ExpectationBuilder, ExpectationNotMetError, ExpectationSyntaxError, expectSequence, formatMatchReport, matchExpectation,
  parseExpectation, sequence,
  type ArpOpPattern, type Count, type EndpointRef, type Expectation, type ExpectationInput, type FailureKind, type Forbidden,
  type FrameLine, type FramePattern, type IcmpOptions, type IcmpTypePattern, type MatchFailure, type MatchInput, type MatchOptions, type RecordedInput,
  type MatchResult, type NearMiss, type Step, type StepGroup, type StepResult,
} from './expect/index.js';
export { FrameDecoder, type DecodedFrame, type DecodeProblem } from './decode/index.js';
export { openCaptureFile, createCaptureWriter, type CaptureFileSource, type CaptureWriter } from './pcap/index.js';
export { noNames, type Endpoint, type Resolver } from './model/endpoint.js';
export { TopologyResolver } from './annotate/topology-resolver.js';
export { loadSnapshotFile } from './session/snapshot-load.js';
export type { Topology } from './model/topology.js';
export { loadTopology } from './docker/topology.js';
export { LiveResolver } from './docker/live-resolver.js';
export { labDown, labUp } from './docker/lab.js';
export { TextFormatter } from './present/text-line.js';
export { frameRecord, type FrameRecord } from './present/ndjson.js';
export { copyFrame, frameBytes, type CaptureSource, type FrameBatch, type OwnedFrame } from './source/frame-batch.js';
export { BridgescopeError, CaptureFileError, ERROR_CODES, UsageError, type ErrorCode } from './errors.js';
