import { sanitize } from '../sanitize.js';
import { expect } from 'vitest';
import type { Resolver } from '../model/endpoint.js';
import { analyzeFrames, analyzeSource, type AnalyzeSourceOptions } from '../analyze/analyze-source.js';
import type { AnalysisReport } from '../analyze/analyzer.js';
import type { FindingKind } from '../analyze/findings.js';
import { isSource, matchExpectation, unpackInput, type ExpectationInput, type MatchInput } from '../expect/match-expectation.js';
import { formatMatchReport } from '../expect/match-report.js';
import type { MatchResult } from '../expect/matcher.js';

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

interface BridgescopeMatchers<R = unknown> {
  toContainSequence(expectation: ExpectationInput, opts?: BridgescopeMatcherOptions): R;
  toHaveNoUnansweredArp(opts?: BridgescopeMatcherOptions): R;
  toHaveNoUnansweredEcho(opts?: BridgescopeMatcherOptions): R;
}

declare module 'vitest' {
  // Merges with vitest's own declaration, which has this exact type parameter.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any
  interface Matchers<T = any> extends BridgescopeMatchers<T> {}
}

interface Outcome {
  pass: boolean;
  message: () => string;
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
      : `expected no unanswered ${what}, found ${found.length}:\n${found.map((f) => `  frame ${f.frames[0]}: ${sanitize(f.text)}`).join('\n')}`,
  };
}

/** Registers the matchers with vitest's `expect`; `defaults` apply where a call gives no options. */
export function installBridgescopeMatchers(defaults: BridgescopeMatcherOptions = {}): void {
  const unanswered = (received: unknown, opts: BridgescopeMatcherOptions | undefined, kind: FindingKind, what: string) => {
    const [frames, o] = unpackInput<AnalyzeSourceOptions>(received as MatchInput, { ...opts, pendingAsUnanswered: true }, defaults);
    if (isSource(frames)) return analyzeSource(frames, o).then((r) => unansweredOutcome(r, kind, what));
    return unansweredOutcome(analyzeFrames(frames, o), kind, what);
  };
  expect.extend({
    toContainSequence(received: unknown, expectation: ExpectationInput, opts?: BridgescopeMatcherOptions) {
      const [frames, o] = unpackInput(received as MatchInput, opts ?? {}, defaults);
      const r = matchExpectation(frames, expectation, o);
      return r instanceof Promise ? r.then(sequenceOutcome) : sequenceOutcome(r);
    },
    toHaveNoUnansweredArp(received: unknown, opts?: BridgescopeMatcherOptions) {
      return unanswered(received, opts, 'arp-unanswered', 'ARP requests');
    },
    toHaveNoUnansweredEcho(received: unknown, opts?: BridgescopeMatcherOptions) {
      return unanswered(received, opts, 'echo-unanswered', 'echo requests');
    },
  });
}
