import { ipv4ToNumber, macToNumber } from '../annotate/address.js';
import { UsageError } from '../errors.js';

/** Who a pattern names: anyone, a container (name or label), an IPv4 address or a MAC. */
export type EndpointRef =
  | { kind: 'any' }
  | { kind: 'name'; name: string }
  | { kind: 'ip'; ip: number; text: string }
  | { kind: 'mac'; mac: number; text: string };

export type ArpOpPattern = 'request' | 'reply' | 'gratuitous' | 'probe' | 'any';
export type IcmpTypePattern = 'echo-request' | 'echo-reply' | 'unreachable' | 'time-exceeded' | 'any';

export type FramePattern =
  | { proto: 'arp'; op: ArpOpPattern; from: EndpointRef; to: EndpointRef }
  | { proto: 'icmp'; op: IcmpTypePattern; from: EndpointRef; to: EndpointRef; id?: number; seq?: number };

/** How many frames a step takes: default at least one; `x3` is exactly three. */
export interface Count {
  min: number;
  max: number;
}

export interface Step {
  pattern: FramePattern;
  count: Count;
  /** The step must be met no later than this after the previous group was met (the first frame, for the first). */
  withinNs?: number;
  /** The step as written, for reports. */
  text: string;
  /** Line in the expectation file, when parsed from one. */
  line?: number;
}

/** Steps met in any order, or (the usual case) a single step. Groups are met one after another. */
export interface StepGroup {
  steps: Step[];
  anyOrder: boolean;
}

/** A pattern no frame anywhere in the input may match (`no arp from web-default`). */
export interface Forbidden {
  pattern: FramePattern;
  text: string;
  line?: number;
}

export interface Expectation {
  groups: StepGroup[];
  forbidden: Forbidden[];
  /** File it came from, for messages. */
  source?: string;
}

export const ARP_OPS: readonly ArpOpPattern[] = ['request', 'reply', 'gratuitous', 'probe', 'any'];
export const ICMP_TYPES: readonly IcmpTypePattern[] = ['echo-request', 'echo-reply', 'unreachable', 'time-exceeded', 'any'];

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const MAC = /^[0-9a-fA-F]{1,2}([:-][0-9a-fA-F]{1,2}){5}$/;
// "/" for compose's project/service (model/identity.ts name forms).
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.() /+-]*$/;

/** 'any', an IPv4 address, a MAC, or a container name; undefined when it is none of them. */
export function parseEndpoint(text: string): EndpointRef | undefined {
  if (text === 'any') return { kind: 'any' };
  try {
    if (IPV4.test(text)) return { kind: 'ip', ip: ipv4ToNumber(text), text };
    if (MAC.test(text)) return { kind: 'mac', mac: macToNumber(text), text: text.toLowerCase() };
  } catch {
    return undefined;
  }
  return NAME.test(text) ? { kind: 'name', name: text } : undefined;
}

/** "2s", "500ms", "1.5s", "250us" as nanoseconds; undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(us|ms|s|m)$/.exec(text);
  if (!m) return undefined;
  const unit = { us: 1e3, ms: 1e6, s: 1e9, m: 60e9 }[m[2] as 'us' | 'ms' | 's' | 'm'];
  return Math.round(Number(m[1]) * unit);
}

export function endpointText(e: EndpointRef): string {
  if (e.kind === 'any') return 'any';
  if (e.kind === 'name') return /\s/.test(e.name) ? `"${e.name}"` : e.name;
  return e.text;
}

export function patternText(p: FramePattern): string {
  let s = `${p.proto} ${p.op} ${endpointText(p.from)} -> ${endpointText(p.to)}`;
  if (p.proto === 'icmp') {
    if (p.id !== undefined) s += ` id ${p.id}`;
    if (p.seq !== undefined) s += ` seq ${p.seq}`;
  }
  return s;
}

export function countText(c: Count): string {
  if (c.min === c.max) return `x${c.min}`;
  if (c.max === Infinity) return c.min === 1 ? '' : `at least ${c.min}`;
  return c.min === 0 ? `at most ${c.max}` : `${c.min} to ${c.max}`;
}

export function stepText(pattern: FramePattern, count: Count, withinNs?: number): string {
  const parts = [patternText(pattern), countText(count)];
  if (withinNs !== undefined) parts.push(`within ${withinNs / 1e6}ms`);
  return parts.filter(Boolean).join(' ');
}

type EndpointArg = string;
export interface IcmpOptions {
  id?: number;
  seq?: number;
}

function endpoint(text: EndpointArg): EndpointRef {
  const e = parseEndpoint(text);
  if (!e) throw new UsageError(`expectation endpoint ${JSON.stringify(text)}: expected any, an IPv4 address, a MAC or a container name`);
  return e;
}

function duration(d: string | number): number {
  if (typeof d === 'number') return Math.round(d * 1e6);
  const ns = parseDuration(d);
  if (ns === undefined) throw new UsageError(`expectation duration ${JSON.stringify(d)}: expected a number and ms, s or us (2s, 500ms)`);
  return ns;
}

/**
 * Builds an Expectation in TypeScript, the same thing the text format parses to:
 *
 *   sequence().arp('request', 'web-bridge-1', 'web-bridge-2')
 *     .then().arp('reply', 'web-bridge-2', 'web-bridge-1').within('1s')
 *     .anyOrder((g) => g.icmp('echo-request', 'web-bridge-1', 'web-bridge-2').times(4)
 *                       .icmp('echo-reply', 'web-bridge-2', 'web-bridge-1').times(4))
 *     .no('arp', { from: 'web-default' })
 *
 * Count and time modifiers apply to the step just added. Durations: '2s', '500ms', or a number of ms.
 */
export class ExpectationBuilder {
  private readonly groups: StepGroup[] = [];
  private readonly forbidden: Forbidden[] = [];
  private last: Step | undefined;

  constructor(private readonly inGroup?: StepGroup) {}

  arp(op: ArpOpPattern, from: EndpointArg = 'any', to: EndpointArg = 'any'): this {
    return this.add({ proto: 'arp', op, from: endpoint(from), to: endpoint(to) });
  }

  icmp(op: IcmpTypePattern, from: EndpointArg = 'any', to: EndpointArg = 'any', opts: IcmpOptions = {}): this {
    return this.add({ proto: 'icmp', op, from: endpoint(from), to: endpoint(to), ...opts });
  }

  /** Readability only: steps are ordered anyway. */
  then(): this {
    return this;
  }

  times(n: number): this {
    return this.count({ min: n, max: n });
  }

  atLeast(n: number): this {
    return this.count({ min: n, max: Infinity });
  }

  atMost(n: number): this {
    return this.count({ min: 0, max: n });
  }

  within(d: string | number): this {
    const s = this.current('within');
    s.withinNs = duration(d);
    s.text = stepText(s.pattern, s.count, s.withinNs);
    return this;
  }

  anyOrder(body: (g: ExpectationBuilder) => ExpectationBuilder): this {
    if (this.inGroup) throw new UsageError('anyOrder groups do not nest');
    const group: StepGroup = { steps: [], anyOrder: true };
    body(new ExpectationBuilder(group));
    if (group.steps.length === 0) throw new UsageError('anyOrder group without steps');
    this.groups.push(group);
    this.last = undefined;
    return this;
  }

  /** No frame in the whole input may match: `no('arp', { from: 'web-default' })`. */
  no(proto: 'arp' | 'icmp', where: { op?: string; from?: EndpointArg; to?: EndpointArg } = {}): this {
    const from = endpoint(where.from ?? 'any');
    const to = endpoint(where.to ?? 'any');
    const pattern: FramePattern = proto === 'arp'
      ? { proto, op: (where.op ?? 'any') as ArpOpPattern, from, to }
      : { proto, op: (where.op ?? 'any') as IcmpTypePattern, from, to };
    this.forbidden.push({ pattern, text: `no ${patternText(pattern)}` });
    return this;
  }

  build(): Expectation {
    if (this.groups.length === 0) throw new UsageError('expectation without steps');
    return { groups: this.groups, forbidden: this.forbidden };
  }

  private add(pattern: FramePattern): this {
    const step: Step = { pattern, count: { min: 1, max: Infinity }, text: stepText(pattern, { min: 1, max: Infinity }) };
    if (this.inGroup) this.inGroup.steps.push(step);
    else this.groups.push({ steps: [step], anyOrder: false });
    this.last = step;
    return this;
  }

  private count(c: Count): this {
    const s = this.current('a count');
    s.count = c;
    s.text = stepText(s.pattern, s.count, s.withinNs);
    return this;
  }

  private current(what: string): Step {
    if (!this.last) throw new UsageError(`${what} needs a step before it`);
    return this.last;
  }
}

export function sequence(): ExpectationBuilder {
  return new ExpectationBuilder();
}
