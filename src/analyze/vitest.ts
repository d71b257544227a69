import { expect } from 'vitest';
import type { Resolver } from '../model/endpoint.js';
import type { CaptureSource, OwnedFrame } from '../source/frame-batch.js';
import { analyzeFrames, analyzeSource, type AnalyzeSourceOptions } from './analyze-source.js';
import type { AnalysisReport } from './analyzer.js';
import type { FindingKind } from './findings.js';
import { matchExpectation, type ExpectationInput } from './match-expectation.js';
import { formatMatchReport } from './match-report.js';
import type { MatchResult } from './matcher.js';

/**
 * vitest matchers (the only file that imports vitest, so the library does not need it at run
 * time). On frames in memory they are synchronous; on a CaptureSource they return a promise, so
 * write `await expect(source).toContainSequence(...)`.
 *
 *   import { installBridgescopeMatchers } from 'bridgescope/vitest';
 *   installBridgescopeMatchers({ resolver });
 *   expect(frames).toContainSequence('arp request web-bridge-1 -> web-bridge-2');
 *
 * The unanswered checks treat requests still open at the end of the frames as unanswered.
 */
export interface BridgescopeMatcherOptions {
  resolver?: Resolver;
  arpTimeoutMs?: number;
  echoTimeoutMs?: number;
}

type Frames = readonly OwnedFrame[] | CaptureSource;

interface BridgescopeMatchers<R = unknown> {
  toContainSequence(expectation: ExpectationInput, opts?: BridgescopeMatcherOptions): R;
  toHaveNoUnansweredArp(opts?: BridgescopeMatcherOptions): R;
  toHaveNoUnansweredEcho(opts?: BridgescopeMatcherOptions): R;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unused-vars
  interface Matchers<T = any> extends BridgescopeMatchers<T> {}
}

interface Outcome {
  pass: boolean;
  message: () => string;
}

const isSource = (x: unknown): x is CaptureSource => typeof x === 'object' && x !== null && Symbol.asyncIterator in x;

/** Frames with the names that came with them: what the library's replay() and capture() give. */
interface Recorded {
  frames: readonly OwnedFrame[];
  resolver?: Resolver;
}

const isRecorded = (x: unknown): x is Recorded =>
  typeof x === 'object' && x !== null && Array.isArray((x as Recorded).frames);

function framesOf(received: unknown): Frames {
  if (Array.isArray(received) || isSource(received)) return received as Frames;
  if (isRecorded(received)) return received.frames;
  throw new TypeError(`expected frames (OwnedFrame[], a replay()/capture() result) or a CaptureSource, got ${typeof received}`);
}

/** A recorded capture names its frames with its own resolver unless the call gives another. */
function optionsFor(received: unknown, defaults: BridgescopeMatcherOptions, opts?: BridgescopeMatcherOptions): BridgescopeMatcherOptions {
  const own = isRecorded(received) && received.resolver ? { resolver: received.resolver } : {};
  return { ...defaults, ...own, ...opts };
}

function sequenceOutcome(r: MatchResult): Outcome {
  return {
    pass: r.ok,
    message: () => (r.ok ? `expected the frames NOT to contain the sequence, but it was met:\n${formatMatchReport(r)}` : formatMatchReport(r)),
  };
}

function unansweredOutcome(report: AnalysisReport, kind: FindingKind, what: string): Outcome {
  const found = report.findings.filter((f) => f.kind === kind);
  return {
    pass: found.length === 0,
    message: () => found.length === 0
      ? `expected unanswered ${what}, found none in ${report.frames} frames`
      : `expected no unanswered ${what}, found ${found.length}:\n${found.map((f) => `  frame ${f.frames[0]}: ${f.text}`).join('\n')}`,
  };
}

/** Registers the matchers with vitest's `expect`; `defaults` apply where a call gives no options. */
export function installBridgescopeMatchers(defaults: BridgescopeMatcherOptions = {}): void {
  const unanswered = (received: unknown, opts: BridgescopeMatcherOptions | undefined, kind: FindingKind, what: string) => {
    const o: AnalyzeSourceOptions = { ...optionsFor(received, defaults, opts), pendingAsUnanswered: true };
    const frames = framesOf(received);
    if (isSource(frames)) return analyzeSource(frames, o).then((r) => unansweredOutcome(r, kind, what));
    return unansweredOutcome(analyzeFrames(frames, o), kind, what);
  };
  expect.extend({
    toContainSequence(received: unknown, expectation: ExpectationInput, opts?: BridgescopeMatcherOptions) {
      const frames = framesOf(received);
      const o = optionsFor(received, defaults, opts);
      if (isSource(frames)) return matchExpectation(frames, expectation, o).then(sequenceOutcome);
      return sequenceOutcome(matchExpectation(frames, expectation, o));
    },
    toHaveNoUnansweredArp(received: unknown, opts?: BridgescopeMatcherOptions) {
      return unanswered(received, opts, 'arp-unanswered', 'ARP requests');
    },
    toHaveNoUnansweredEcho(received: unknown, opts?: BridgescopeMatcherOptions) {
      return unanswered(received, opts, 'echo-unanswered', 'echo requests');
    },
  });
}
