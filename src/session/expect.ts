import { expectSequence as expectOn, matchExpectation as matchOn, type ExpectationInput } from '../analyze/match-expectation.js';
import type { MatchOptions, MatchResult } from '../analyze/matcher.js';
import type { OwnedFrame } from '../source/frame-batch.js';
import type { RecordedFrames } from './recorded.js';

export type { ExpectationInput };

type Frames = readonly OwnedFrame[] | RecordedFrames;

function unpack(input: Frames, opts: MatchOptions): [readonly OwnedFrame[], MatchOptions] {
  if (Array.isArray(input)) return [input as readonly OwnedFrame[], opts];
  const rec = input as RecordedFrames;
  return [rec.frames, { resolver: rec.resolver, ...opts }];
}

/** Matches an expectation against frames; a RecordedFrames brings its own names. */
export function matchExpectation(input: Frames, e: ExpectationInput, opts: MatchOptions = {}): MatchResult {
  const [frames, o] = unpack(input, opts);
  return matchOn(frames, e, o);
}

/** Like matchExpectation, but throws ExpectationNotMetError (with the report) when not met. */
export function expectSequence(input: Frames, e: ExpectationInput, opts: MatchOptions = {}): Promise<MatchResult> {
  const [frames, o] = unpack(input, opts);
  return expectOn(frames, e, o);
}
