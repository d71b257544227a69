import { FrameDecoder } from '../decode/index.js';
import { BridgescopeError } from '../errors.js';
import type { Resolver } from '../model/endpoint.js';
import type { CaptureSource, OwnedFrame } from '../source/frame-batch.js';
import { ExpectationBuilder, type Expectation } from './expectation.js';
import { parseExpectation } from './expectation-parser.js';
import { formatMatchReport } from './match-report.js';
import { SequenceMatcher, type MatchOptions, type MatchResult } from './matcher.js';

/** An Expectation, a builder (built on use), or text in the expectation format. */
export type ExpectationInput = Expectation | ExpectationBuilder | string;

/** Frames with the names that came with them: what replay() and capture().stop() give. */
export interface RecordedInput {
  frames: readonly OwnedFrame[];
  resolver?: Resolver;
}

/** Frames in memory (numbered from 1), a recording, or a source read as it streams. */
export type MatchInput = readonly OwnedFrame[] | RecordedInput | CaptureSource;

export function toExpectation(e: ExpectationInput): Expectation {
  if (typeof e === 'string') return parseExpectation(e);
  return e instanceof ExpectationBuilder ? e.build() : e;
}

export function isSource(x: unknown): x is CaptureSource {
  return typeof x === 'object' && x !== null && Symbol.asyncIterator in x;
}

function isRecorded(x: unknown): x is RecordedInput {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && Array.isArray((x as RecordedInput).frames);
}

/**
 * The frames or source behind an input, and the options to use with it. Names, first given wins:
 * `opts.resolver`, the recording's own, `defaults.resolver`. Anything else than the three inputs
 * is a TypeError that says what is accepted (JavaScript callers have no compiler to tell them).
 */
export function unpackInput<O extends MatchOptions>(input: MatchInput, opts: O, defaults: Partial<O> = {}): [readonly OwnedFrame[] | CaptureSource, O] {
  const merged = { ...defaults, ...opts };
  if (Array.isArray(input) || isSource(input)) return [input as readonly OwnedFrame[] | CaptureSource, merged];
  if (isRecorded(input)) return [input.frames, { ...merged, resolver: opts.resolver ?? input.resolver ?? defaults.resolver }];
  const what = input === null ? 'null' : typeof input;
  throw new TypeError(`expected frames (OwnedFrame[]), a replay()/capture() recording or a CaptureSource, got ${what}`);
}

/**
 * Matches an expectation: synchronously over frames in memory or a recording, streaming over a
 * CaptureSource (which stops being read, and is closed, at the first failure).
 */
export function matchExpectation(input: readonly OwnedFrame[] | RecordedInput, e: ExpectationInput, opts?: MatchOptions): MatchResult;
export function matchExpectation(input: CaptureSource, e: ExpectationInput, opts?: MatchOptions): Promise<MatchResult>;
export function matchExpectation(input: MatchInput, e: ExpectationInput, opts?: MatchOptions): MatchResult | Promise<MatchResult>;
export function matchExpectation(input: MatchInput, e: ExpectationInput, opts: MatchOptions = {}): MatchResult | Promise<MatchResult> {
  const [frames, o] = unpackInput(input, opts);
  const m = new SequenceMatcher(toExpectation(e), o);
  if (isSource(frames)) return matchSource(frames, m);
  const dec = new FrameDecoder();
  for (let i = 0; i < frames.length; i++) {
    const fr = frames[i];
    if (!m.push(dec.decode(fr.bytes, fr.linkType, fr.origLen), i + 1, fr.tsSec, fr.tsNsec)) break;
  }
  return m.finish();
}

async function matchSource(source: CaptureSource, m: SequenceMatcher): Promise<MatchResult> {
  const dec = new FrameDecoder();
  let n = 0;
  outer: for await (const b of source) {
    for (let i = 0; i < b.count; i++) {
      const f = dec.decodeFrame(b, i);
      if (!m.push(f, ++n, b.tsSec[i], b.tsNsec[i])) break outer;
    }
  }
  if (m.failed) await source.close();
  return m.finish();
}

/** Thrown by expectSequence; `message` is the whole report. Exit code 1: "not met", not a usage error. */
export class ExpectationNotMetError extends BridgescopeError {
  constructor(readonly result: MatchResult) {
    super('BS_EXPECT_NOT_MET', formatMatchReport(result), 1);
  }
}

/** matchExpectation that throws ExpectationNotMetError (with the report) when not met. */
export async function expectSequence(input: MatchInput, e: ExpectationInput, opts: MatchOptions = {}): Promise<MatchResult> {
  const r = await matchExpectation(input, e, opts);
  if (!r.ok) throw new ExpectationNotMetError(r);
  return r;
}
