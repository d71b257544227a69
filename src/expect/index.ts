export {
  ExpectationBuilder, parseEndpoint, sequence,
  type ArpOpPattern, type Count, type EndpointRef, type Expectation, type Forbidden, type FramePattern, type IcmpOptions,
  type IcmpTypePattern, type Step, type StepGroup,
} from './expectation.js';
export { parseDuration } from '../duration.js';
export { ExpectationSyntaxError, parseExpectation } from './expectation-parser.js';
export { SequenceMatcher, type FailureKind, type MatchFailure, type MatchOptions, type MatchResult, type NearMiss, type StepResult } from './matcher.js';
export type { FrameLine } from './frame-memory.js';
export { formatMatchReport } from './match-report.js';
export {
  ExpectationNotMetError, expectSequence, matchExpectation, toExpectation, type ExpectationInput, type MatchInput, type RecordedInput,
} from './match-expectation.js';
