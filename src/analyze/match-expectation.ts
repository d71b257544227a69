import { FrameDecoder } from '../decode/index.js';
import { BridgescopeError } from '../errors.js';
import type { CaptureSource, OwnedFrame } from '../source/frame-batch.js';
import { ExpectationBuilder, type Expectation } from './expectation.js';
import { parseExpectation } from './expectation-parser.js';
import { formatMatchReport } from './match-report.js';
import { SequenceMatcher, type MatchOptions, type MatchResult } from './matcher.js';

/** An Expectation, a builder (built on use), or text in the expectation format. */
export type ExpectationInput = Expectation | ExpectationBuilder | string;

export function toExpectation(e: ExpectationInput): Expectation {
  if (typeof e === 'string') return parseExpectation(e);
  return e instanceof ExpectationBuilder ? e.build() : e;
}

function isSource(x: unknown): x is CaptureSource {
  return typeof x === 'object' && x !== null && Symbol.asyncIterator in x;
}

/**
 * Matches an expectation against frames: synchronously over frames in memory (numbered from 1),
 * or streaming over a CaptureSource (which stops reading, and is closed, at the first failure).
 */
export function matchExpectation(frames: readonly OwnedFrame[], e: ExpectationInput, opts?: MatchOptions): MatchResult;
export function matchExpectation(source: CaptureSource, e: ExpectationInput, opts?: MatchOptions): Promise<MatchResult>;
export function matchExpectation(input: readonly OwnedFrame[] | CaptureSource, e: ExpectationInput, opts: MatchOptions = {}): MatchResult | Promise<MatchResult> {
  const m = new SequenceMatcher(toExpectation(e), opts);
  if (isSource(input)) return matchSource(input, m);
  const dec = new FrameDecoder();
  for (let i = 0; i < input.length; i++) {
    const fr = input[i];
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
export async function expectSequence(input: readonly OwnedFrame[] | CaptureSource, e: ExpectationInput, opts: MatchOptions = {}): Promise<MatchResult> {
  const r = isSource(input) ? await matchExpectation(input, e, opts) : matchExpectation(input, e, opts);
  if (!r.ok) throw new ExpectationNotMetError(r);
  return r;
}
