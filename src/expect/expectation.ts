import { ipv4ToNumber, ipv6ToBytes, macToNumber } from '../annotate/address.js';
import { parseDuration } from '../duration.js';
import { UsageError } from '../errors.js';

/** Who a pattern names: anyone, a container (name or label), an IPv4 or IPv6 address or a MAC. */
export type EndpointRef =
  | { kind: 'any' }
  | { kind: 'name'; name: string }
  | { kind: 'ip'; ip: number; text: string }
  | { kind: 'ip6'; bytes: Uint8Array; text: string }
  | { kind: 'mac'; mac: number; text: string };

export type ArpOpPattern = 'request' | 'reply' | 'gratuitous' | 'probe' | 'any';
export type IcmpTypePattern = 'echo-request' | 'echo-reply' | 'unreachable' | 'time-exceeded' | 'any';
/** Neighbor Discovery: a solicitation (who-has) or an advertisement (is-at). */
export type NdpOpPattern = 'solicit' | 'advert' | 'any';
export type Icmp6TypePattern = 'echo-request' | 'echo-reply' | 'unreachable' | 'too-big' | 'time-exceeded' | 'any';

export type FramePattern =
  | { proto: 'arp'; op: ArpOpPattern; from: EndpointRef; to: EndpointRef }
  | { proto: 'icmp'; op: IcmpTypePattern; from: EndpointRef; to: EndpointRef; id?: number; seq?: number }
  /** `from` solicits or advertises, `to` is the target (solicit) or the asker (advert), as for ARP. */
  | { proto: 'ndp'; op: NdpOpPattern; from: EndpointRef; to: EndpointRef }
  | { proto: 'icmp6'; op: Icmp6TypePattern; from: EndpointRef; to: EndpointRef; id?: number; seq?: number };

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

export const ARP_OP_PATTERNS: readonly ArpOpPattern[] = ['request', 'reply', 'gratuitous', 'probe', 'any'];
export const ICMP_TYPES: readonly IcmpTypePattern[] = ['echo-request', 'echo-reply', 'unreachable', 'time-exceeded', 'any'];
export const NDP_OPS: readonly NdpOpPattern[] = ['solicit', 'advert', 'any'];
export const ICMP6_TYPES: readonly Icmp6TypePattern[] = ['echo-request', 'echo-reply', 'unreachable', 'too-big', 'time-exceeded', 'any'];

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const MAC = /^[0-9a-fA-F]{1,2}([:-][0-9a-fA-F]{1,2}){5}$/;
// "/" for compose's project/service (model/identity.ts name forms).
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.() /+-]*$/;

/** 'any', an IPv4 or IPv6 address, a MAC, or a container name; undefined when it is none of them. */
export function parseEndpoint(text: string): EndpointRef | undefined {
  if (text === 'any') return { kind: 'any' };
  try {
    if (IPV4.test(text)) return { kind: 'ip', ip: ipv4ToNumber(text), text };
    if (MAC.test(text)) return { kind: 'mac', mac: macToNumber(text), text: text.toLowerCase() };
    if (text.includes(':')) return { kind: 'ip6', bytes: ipv6ToBytes(text), text: text.toLowerCase() };
  } catch {
    return undefined;
  }
  return NAME.test(text) ? { kind: 'name', name: text } : undefined;
}


export function endpointRefText(e: EndpointRef): string {
  if (e.kind === 'any') return 'any';
  if (e.kind === 'name') return /\s/.test(e.name) ? `"${e.name}"` : e.name;
  return e.text;
}

/** A pattern as one would write it: `arp from web-default`, not `arp any web-default -> any`. */
function patternText(p: FramePattern): string {
  const parts: string[] = [p.proto];
  if (p.op !== 'any') parts.push(p.op);
  if (p.from.kind !== 'any' && p.to.kind !== 'any') parts.push(`${endpointRefText(p.from)} -> ${endpointRefText(p.to)}`);
  else if (p.from.kind !== 'any') parts.push(`from ${endpointRefText(p.from)}`);
  else if (p.to.kind !== 'any') parts.push(`to ${endpointRefText(p.to)}`);
  if (p.proto === 'icmp' || p.proto === 'icmp6') {
    if (p.id !== undefined) parts.push(`id ${p.id}`);
    if (p.seq !== undefined) parts.push(`seq ${p.seq}`);
  }
  return parts.join(' ');
}

/** Each protocol word and the ops it takes (ARP and NDP ops, ICMP types). */
export const PATTERN_OPS: Readonly<Record<FramePattern['proto'], readonly string[]>> = {
  arp: ARP_OP_PATTERNS, icmp: ICMP_TYPES, ndp: NDP_OPS, icmp6: ICMP6_TYPES,
};

/** The ops of a protocol; a message naming the accepted ones when `op` is not among them. */
export function opError(proto: string, op: string): string | undefined {
  const ops: readonly string[] | undefined = PATTERN_OPS[proto as FramePattern['proto']];
  if (!ops) return `${JSON.stringify(proto)} is not a protocol: ${Object.keys(PATTERN_OPS).join(', ')}`;
  if (ops.includes(op)) return undefined;
  return `${JSON.stringify(op)} is not an ${proto} ${proto === 'arp' || proto === 'ndp' ? 'op' : 'type'}: one of ${ops.join(', ')}`;
}

type ModifierKind = 'exact' | 'least' | 'most' | 'within' | 'id' | 'seq';

/** Which modifiers a second one of a kind collides with: one count per step, one of each other. */
const CONFLICTS: Record<ModifierKind, readonly ModifierKind[]> = {
  exact: ['exact', 'least', 'most'],
  least: ['exact', 'least'],
  most: ['exact', 'most'],
  within: ['within'],
  id: ['id'],
  seq: ['seq'],
};

interface Given {
  kind: ModifierKind;
  text: string;
  column?: number;
}

/**
 * The modifiers of one step, as given: the parser and the builder apply them through here, so
 * both refuse the same conflicts (the last one no longer wins in silence). `at least` and
 * `at most` together make a range, as `xN..M` does. Each method returns an error message, or
 * undefined when the modifier was taken; `column` (text only) lets the message point back.
 */
export class StepModifiers {
  private readonly given: Given[] = [];
  private exact?: Count;
  private least?: number;
  private most?: number;
  withinNs?: number;
  id?: number;
  seq?: number;

  get count(): Count {
    if (this.exact) return this.exact;
    return { min: this.least ?? (this.most === undefined ? 1 : 0), max: this.most ?? Infinity };
  }

  /** Count and time modifiers in the order given, as text (id and seq are the pattern's). */
  get text(): string {
    return this.given.filter((g) => g.kind !== 'id' && g.kind !== 'seq').map((g) => g.text).join(' ');
  }

  times(min: number, max: number, text: string, column?: number): string | undefined {
    return this.take({ kind: 'exact', text, column }, () => {
      const bad = countError(min) ?? countError(max);
      if (bad) return bad;
      if (min > max) return `${text} is an empty range (${min} > ${max})`;
      this.exact = { min, max };
      return undefined;
    });
  }

  atLeast(n: number, text: string, column?: number): string | undefined {
    return this.take({ kind: 'least', text, column }, () => countError(n) ?? this.range(n, this.most, () => { this.least = n; }));
  }

  atMost(n: number, text: string, column?: number): string | undefined {
    return this.take({ kind: 'most', text, column }, () => countError(n) ?? this.range(this.least, n, () => { this.most = n; }));
  }

  within(ns: number, text: string, column?: number): string | undefined {
    return this.take({ kind: 'within', text, column }, () => { this.withinNs = ns; return undefined; });
  }

  idOrSeq(which: 'id' | 'seq', v: number, column?: number): string | undefined {
    const text = `${which} ${v}`;
    return this.take({ kind: which, text, column }, () => {
      if (!Number.isInteger(v) || v < 0 || v > 65535) return `${text}: expected 0 to 65535`;
      this[which] = v;
      return undefined;
    });
  }

  private range(least: number | undefined, most: number | undefined, set: () => void): string | undefined {
    if (least !== undefined && most !== undefined && least > most) return `at least ${least} at most ${most} is an empty range`;
    set();
    return undefined;
  }

  private take(g: Given, apply: () => string | undefined): string | undefined {
    const clash = this.given.find((o) => CONFLICTS[g.kind].includes(o.kind));
    if (clash) {
      const where = clash.column === undefined ? '' : ` (column ${clash.column})`;
      const hint = g.kind === 'within' || g.kind === 'id' || g.kind === 'seq'
        ? `a step takes one ${g.kind}`
        : 'a step takes one count (a range is x2..3, or at least 2 at most 3)';
      return `"${g.text}" conflicts with "${clash.text}"${where}: ${hint}`;
    }
    const err = apply();
    if (!err) this.given.push(g);
    return err;
  }
}

function countError(n: number): string | undefined {
  return Number.isInteger(n) && n >= 0 ? undefined : `count ${n}: expected a whole number, 0 or more`;
}

type EndpointArg = string;
export interface IcmpOptions {
  id?: number;
  seq?: number;
}

/** Where a `no` pattern applies; `op` is typed per protocol, and checked at run time too. */
export interface ArpWhere {
  op?: ArpOpPattern;
  from?: EndpointArg;
  to?: EndpointArg;
}
export interface IcmpWhere {
  op?: IcmpTypePattern;
  from?: EndpointArg;
  to?: EndpointArg;
}

function endpoint(text: EndpointArg): EndpointRef {
  const e = typeof text === 'string' ? parseEndpoint(text) : undefined;
  if (!e) throw new UsageError(`expectation endpoint ${JSON.stringify(text)}: expected any, an IPv4 or IPv6 address, a MAC or a container name`);
  return e;
}

function checkOp(proto: string, op: string): void {
  const err = opError(proto, op);
  if (err) throw new UsageError(`expectation: ${err}`);
}

function duration(d: string | number): [number, string] {
  if (typeof d === 'number' && Number.isFinite(d) && d >= 0) return [Math.round(d * 1e6), `${d}ms`];
  const ns = typeof d === 'string' ? parseDuration(d) : undefined;
  if (ns === undefined) throw new UsageError(`expectation duration ${JSON.stringify(d)}: expected a number and ms, s or us (2s, 500ms), or a number of ms, 0 or more`);
  return [ns, d as string];
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
 * Count and time modifiers apply to the step just added, with the text format's rules (one count
 * per step; atLeast with atMost is a range; times(2, 3) is x2..3). Durations: '2s', '500ms', or
 * a number of ms. Mistakes throw UsageError at once.
 */
export class ExpectationBuilder {
  private readonly groups: StepGroup[] = [];
  private readonly forbidden: Forbidden[] = [];
  private last: { step: Step; mods: StepModifiers } | undefined;

  constructor(private readonly inGroup?: StepGroup) {}

  arp(op: ArpOpPattern, from: EndpointArg = 'any', to: EndpointArg = 'any'): this {
    checkOp('arp', op);
    return this.add({ proto: 'arp', op, from: endpoint(from), to: endpoint(to) }, new StepModifiers());
  }

  icmp(op: IcmpTypePattern, from: EndpointArg = 'any', to: EndpointArg = 'any', opts: IcmpOptions = {}): this {
    checkOp('icmp', op);
    const mods = new StepModifiers();
    for (const k of ['id', 'seq'] as const) {
      const v = opts[k];
      const err = v === undefined ? undefined : mods.idOrSeq(k, v);
      if (err) throw new UsageError(`expectation: ${err}`);
    }
    return this.add({ proto: 'icmp', op, from: endpoint(from), to: endpoint(to), id: mods.id, seq: mods.seq }, mods);
  }

  ndp(op: NdpOpPattern, from: EndpointArg = 'any', to: EndpointArg = 'any'): this {
    checkOp('ndp', op);
    return this.add({ proto: 'ndp', op, from: endpoint(from), to: endpoint(to) }, new StepModifiers());
  }

  icmp6(op: Icmp6TypePattern, from: EndpointArg = 'any', to: EndpointArg = 'any', opts: IcmpOptions = {}): this {
    checkOp('icmp6', op);
    const mods = new StepModifiers();
    for (const k of ['id', 'seq'] as const) {
      const v = opts[k];
      const err = v === undefined ? undefined : mods.idOrSeq(k, v);
      if (err) throw new UsageError(`expectation: ${err}`);
    }
    return this.add({ proto: 'icmp6', op, from: endpoint(from), to: endpoint(to), id: mods.id, seq: mods.seq }, mods);
  }

  /** Readability only: steps are ordered anyway. */
  then(): this {
    return this;
  }

  /** Exactly n frames; `times(2, 3)`: two or three (`x2..3`). `times(0)`: none. */
  times(n: number, max = n): this {
    return this.modify((m) => m.times(n, max, n === max ? `x${n}` : `x${n}..${max}`));
  }

  atLeast(n: number): this {
    return this.modify((m) => m.atLeast(n, `at least ${n}`));
  }

  atMost(n: number): this {
    return this.modify((m) => m.atMost(n, `at most ${n}`));
  }

  within(d: string | number): this {
    const [ns, text] = duration(d);
    return this.modify((m) => m.within(ns, `within ${text}`), 'within');
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
  no(proto: 'arp', where?: ArpWhere): this;
  no(proto: 'icmp', where?: IcmpWhere): this;
  no(proto: 'ndp', where?: { op?: NdpOpPattern; from?: EndpointArg; to?: EndpointArg }): this;
  no(proto: 'icmp6', where?: { op?: Icmp6TypePattern; from?: EndpointArg; to?: EndpointArg }): this;
  no(proto: FramePattern['proto'], where: { op?: string; from?: EndpointArg; to?: EndpointArg } = {}): this {
    const op = where.op ?? 'any';
    checkOp(proto, op);
    const from = endpoint(where.from ?? 'any');
    const to = endpoint(where.to ?? 'any');
    const pattern = { proto, op, from, to } as FramePattern;
    this.forbidden.push({ pattern, text: `no ${patternText(pattern)}` });
    return this;
  }

  build(): Expectation {
    if (this.groups.length === 0 && this.forbidden.length === 0) throw new UsageError('expectation without steps or "no" patterns');
    return { groups: this.groups, forbidden: this.forbidden };
  }

  private add(pattern: FramePattern, mods: StepModifiers): this {
    const step: Step = { pattern, count: mods.count, text: patternText(pattern) };
    if (this.inGroup) this.inGroup.steps.push(step);
    else this.groups.push({ steps: [step], anyOrder: false });
    this.last = { step, mods };
    return this;
  }

  private modify(apply: (m: StepModifiers) => string | undefined, what = 'a count'): this {
    if (!this.last) throw new UsageError(`${what} needs a step before it`);
    const { step, mods } = this.last;
    const err = apply(mods);
    if (err) throw new UsageError(`expectation step "${step.text}": ${err}`);
    step.count = mods.count;
    step.withinNs = mods.withinNs;
    step.text = [patternText(step.pattern), mods.text].filter(Boolean).join(' ');
    return this;
  }
}

export function sequence(): ExpectationBuilder {
  return new ExpectationBuilder();
}
