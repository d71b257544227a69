import type { Resolver } from '../model/endpoint.js';
import { noNames } from '../model/endpoint.js';
import type { DecodedFrame } from '../decode/index.js';
import { TextFormatter } from '../present/text-line.js';
import type { Expectation, Step } from './expectation.js';
import { FrameMemory, type FrameLine } from './frame-memory.js';
import { nsBetween } from '../analyze/frame-time.js';
import { formatMs } from '../duration.js';
import { PatternMatcher } from './pattern-match.js';

/** Frame numbers kept per step (the count goes on). */
const FRAMES_KEPT = 64;
const NEAREST = 3;
const CONTEXT = 4;

export interface StepResult {
  kind: 'expect' | 'forbid';
  text: string;
  line?: number;
  /** Index of the group the step belongs to (-1 for `no` lines). */
  group: number;
  matched: number;
  /** First FRAMES_KEPT matching frame numbers. */
  frames: number[];
  met: boolean;
}

export interface NearMiss extends FrameLine {
  /** What kept this frame from matching the step. */
  why: string[];
}

export type FailureKind = 'missing' | 'too-many' | 'too-late' | 'forbidden';

export interface MatchFailure {
  /** Index into `steps`. */
  step: number;
  kind: FailureKind;
  reason: string;
  line?: number;
  /** Frames that came closest to matching the failed step, with why each did not. */
  nearest: NearMiss[];
  /** Frames around the failure: after the last step met, and up to the failure point. */
  context: FrameLine[];
  /** The frame that broke the expectation (too-many, too-late, forbidden). */
  frame?: number;
}

export interface MatchResult {
  ok: boolean;
  steps: StepResult[];
  failure?: MatchFailure;
  /** Frames examined (matching stops at the first failure). */
  frames: number;
}

export interface MatchOptions {
  resolver?: Resolver;
}

interface Candidate extends NearMiss {
  score: number;
}

/**
 * Streaming matcher for one Expectation: feed frames in order with `push`, then `finish`.
 * Groups are met one after another; within the current group each frame goes to the first step
 * it matches that still wants frames (below its minimum first, then below its maximum). Once the
 * group is met, a frame matching the next group advances to it; a further match of a step of the
 * met group beyond its maximum fails the expectation. `no` patterns are checked on every frame.
 * Memory: fixed (a few remembered frames, near-miss lines, FRAMES_KEPT numbers per step).
 */
export class SequenceMatcher {
  readonly steps: StepResult[] = [];
  private readonly stepsOf: number[][] = [];
  private readonly forbidFrom: number;
  private readonly resolver: Resolver;
  private readonly patterns: PatternMatcher;
  private group = 0;
  private groupMet = false;
  /** When the previous group was met (the first frame, for group 0): `within` counts from here. */
  private baseSec = Number.NaN;
  private baseNsec = 0;
  private baseFrame = 0;
  private readonly recent = new FrameMemory(CONTEXT);
  private readonly afterBase = new FrameMemory(CONTEXT);
  private nearest: Candidate[] = [];
  private readonly text: TextFormatter;
  /** Group the near misses were collected for. */
  private nearestFor = -1;
  private failure: MatchFailure | undefined;
  private seen = 0;

  constructor(
    private readonly expectation: Expectation,
    opts: MatchOptions = {},
  ) {
    this.resolver = opts.resolver ?? noNames;
    this.patterns = new PatternMatcher(this.resolver);
    this.text = new TextFormatter({ resolver: this.resolver });
    expectation.groups.forEach((g, gi) => {
      this.stepsOf.push(g.steps.map((s) => {
        this.steps.push({ kind: 'expect', text: s.text, line: s.line, group: gi, matched: 0, frames: [], met: s.count.min === 0 });
        return this.steps.length - 1;
      }));
    });
    this.forbidFrom = this.steps.length;
    for (const f of expectation.forbidden) {
      this.steps.push({ kind: 'forbid', text: f.text, line: f.line, group: -1, matched: 0, frames: [], met: true });
    }
    this.groupMet = this.isMet(0);
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Feeds one frame; returns false once the expectation has failed (further frames are ignored). */
  push(f: DecodedFrame, frameNo: number, tsSec: number, tsNsec: number): boolean {
    if (this.failure) return false;
    this.seen++;
    if (Number.isNaN(this.baseSec)) {
      this.baseSec = tsSec;
      this.baseNsec = tsNsec;
    }
    this.recent.add(f, frameNo, tsSec, tsNsec);
    if (!this.afterBase.full) this.afterBase.add(f, frameNo, tsSec, tsNsec);
    const forbidden = this.expectation.forbidden;
    for (let i = 0; i < forbidden.length; i++) {
      if (!this.patterns.matches(forbidden[i].pattern, f, tsSec)) continue;
      const s = this.steps[this.forbidFrom + i];
      s.matched++;
      s.frames.push(frameNo);
      s.met = false;
      this.fail(this.forbidFrom + i, 'forbidden', `frame ${frameNo} matches a forbidden pattern`, frameNo);
      return false;
    }
    const groups = this.stepsOf.length;
    const target = this.groupMet ? this.group + 1 : this.group;
    if (target < groups) this.checkDeadline(target, frameNo, tsSec, tsNsec);
    if (this.failure) return false;
    // After a met group come the next group and, past groups met with no frames (x0, at most N),
    // the ones after them; a frame that only matches an x0 step there breaks it, unless the
    // current group takes it.
    let overflow: { group: number; step: number } | undefined;
    if (this.groupMet) {
      for (let g = this.group + 1; g < groups; g++) {
        const hit = this.stepFor(g, f, tsSec);
        if (hit && !hit.full) {
          this.advanceTo(g);
          this.credit(hit.step, frameNo, tsSec, tsNsec);
          return true;
        }
        if (hit && !overflow) overflow = { group: g, step: hit.step };
        if (!this.isMet(g)) break;
      }
    }
    const hit = this.group < groups ? this.stepFor(this.group, f, tsSec) : undefined;
    if (hit) {
      if (hit.full) this.overflow(hit.step, frameNo);
      else this.credit(hit.step, frameNo, tsSec, tsNsec);
    } else if (overflow) {
      this.advanceTo(overflow.group);
      this.overflow(overflow.step, frameNo);
    } else if (target < groups) this.considerNearMiss(target, f, frameNo, tsSec, tsNsec);
    return !this.failure;
  }

  /** End of input: the first group not met (past those met with no frames) fails the expectation. */
  finish(): MatchResult {
    let g = this.group;
    if (this.groupMet) while (g < this.stepsOf.length && this.isMet(g)) g++;
    if (!this.failure && g < this.stepsOf.length) {
      if (g !== this.group) this.advanceTo(g);
      const idx = this.stepsOf[g].find((i) => !this.steps[i].met)!;
      const s = this.steps[idx];
      const after = this.baseFrame ? ` after frame ${this.baseFrame}` : '';
      this.fail(idx, 'missing', `${s.matched} of ${this.wanted(idx)} matching frame${s.matched === 1 ? '' : 's'}${after} by the end of the input (${this.seen} frames)`);
    }
    return { ok: !this.failure, steps: this.steps, failure: this.failure, frames: this.seen };
  }

  private wanted(idx: number): string {
    const c = this.stepOf(idx).count;
    if (c.max === 0) return 'none';
    return c.min === c.max ? `${c.min}` : c.max === Infinity ? `at least ${c.min}` : `${c.min} to ${c.max}`;
  }

  private stepOf(idx: number): Step {
    const s = this.steps[idx];
    return this.expectation.groups[s.group].steps[this.stepsOf[s.group].indexOf(idx)];
  }

  /**
   * The step of group `g` a frame goes to: below its minimum first (so `any order` fills what
   * is missing before extras), then below its maximum; else a matching step already full.
   */
  private stepFor(g: number, f: DecodedFrame, sec: number): { step: number; full: boolean } | undefined {
    const ids = this.stepsOf[g];
    const specs = this.expectation.groups[g].steps;
    let full = -1;
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < ids.length; k++) {
        const s = this.steps[ids[k]];
        const c = specs[k].count;
        if (pass === 0 ? s.matched >= c.min : s.matched >= c.max) {
          if (pass === 1 && full < 0 && this.patterns.matches(specs[k].pattern, f, sec)) full = ids[k];
          continue;
        }
        if (this.patterns.matches(specs[k].pattern, f, sec)) return { step: ids[k], full: false };
      }
    }
    return full >= 0 ? { step: full, full: true } : undefined;
  }

  private credit(idx: number, frameNo: number, sec: number, nsec: number): void {
    const s = this.steps[idx];
    s.matched++;
    if (s.frames.length < FRAMES_KEPT) s.frames.push(frameNo);
    if (s.matched >= this.stepOf(idx).count.min) s.met = true;
    if (!this.groupMet && this.isMet(this.group)) this.metAt(sec, nsec, frameNo);
  }

  private overflow(idx: number, frameNo: number): void {
    const s = this.steps[idx];
    s.matched++;
    if (s.frames.length < FRAMES_KEPT) s.frames.push(frameNo);
    s.met = false;
    this.fail(idx, 'too-many', `frame ${frameNo} is match ${s.matched}, expected ${this.wanted(idx)}`, frameNo);
  }

  /** Past the last group counts as met, so an expectation of only `no` lines holds by default. */
  private isMet(g: number): boolean {
    return g >= this.stepsOf.length || this.stepsOf[g].every((i) => this.steps[i].met);
  }

  private metAt(sec: number, nsec: number, frameNo: number): void {
    this.groupMet = true;
    this.baseSec = sec;
    this.baseNsec = nsec;
    this.baseFrame = frameNo;
    this.afterBase.clear();
  }

  private advanceTo(g: number): void {
    this.group = g;
    this.groupMet = this.isMet(g);
  }

  /** `within`: a step of group `g` still unmet past base + D fails at the first later frame. */
  private checkDeadline(g: number, frameNo: number, sec: number, nsec: number): void {
    const specs = this.expectation.groups[g].steps;
    const ids = this.stepsOf[g];
    const elapsed = nsBetween(this.baseSec, this.baseNsec, sec, nsec);
    for (let k = 0; k < ids.length; k++) {
      const w = specs[k].withinNs;
      if (w === undefined || this.steps[ids[k]].met || elapsed <= w) continue;
      const from = this.baseFrame ? `frame ${this.baseFrame}` : 'the first frame';
      this.fail(ids[k], 'too-late', `not met within ${formatMs(w)} of ${from}: frame ${frameNo} is ${formatMs(elapsed)} later (${this.steps[ids[k]].matched} of ${this.wanted(ids[k])} so far)`, frameNo);
      return;
    }
  }

  /** Keeps the frames closest to an unmet step of group `g` (the group waiting for frames). */
  private considerNearMiss(g: number, f: DecodedFrame, frameNo: number, sec: number, nsec: number): void {
    if (this.nearestFor !== g) {
      this.nearestFor = g;
      this.nearest = [];
    }
    const specs = this.expectation.groups[g].steps;
    const ids = this.stepsOf[g];
    for (let k = 0; k < ids.length; k++) {
      if (this.steps[ids[k]].met) continue;
      // A frame that meets none of the step's criteria is not near it.
      const score = this.patterns.miss(specs[k].pattern, f, sec);
      if (score < 1) continue;
      // Ties keep the earliest frames: formatting happens only when a frame gets in.
      if (this.nearest.length >= NEAREST && score <= this.nearest[this.nearest.length - 1].score) continue;
      const why: string[] = [];
      this.patterns.miss(specs[k].pattern, f, sec, why);
      this.nearest.push({ frame: frameNo, text: this.text.line(f, sec, nsec), why, score });
      this.nearest.sort((a, b) => b.score - a.score || a.frame - b.frame);
      if (this.nearest.length > NEAREST) this.nearest.length = NEAREST;
      return;
    }
  }

  private fail(step: number, kind: FailureKind, reason: string, frame?: number): void {
    const after = this.afterBase.lines(this.resolver);
    const recent = this.recent.lines(this.resolver);
    const seen = new Set<number>();
    const context = [...after, ...recent].filter((l) => !seen.has(l.frame) && seen.add(l.frame)).sort((a, b) => a.frame - b.frame);
    const s = this.steps[step];
    let why = reason;
    const spec = s.kind === 'expect' ? this.stepOf(step).pattern : this.expectation.forbidden[step - this.forbidFrom].pattern;
    for (const e of [spec.from, spec.to]) {
      if (e.kind === 'name' && !this.patterns.namesSeen.has(e.name) && kind === 'missing') {
        why += `; no frame was named ${e.name} (check the name, and that the capture has its topology)`;
        break;
      }
    }
    const near = (kind === 'missing' || kind === 'too-late') && this.nearestFor === s.group;
    // A step short of its count was found: only frames one criterion away could be the missing ones.
    const nearest = near ? this.nearest.filter((n) => s.matched === 0 || n.why.length === 1) : [];
    this.failure = { step, kind, reason: why, line: s.line, nearest: nearest.map(({ frame, text, why: w }) => ({ frame, text, why: w })), context, frame };
  }
}

