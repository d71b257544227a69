import { BridgescopeError } from '../errors.js';
import {
  ARP_OPS, ICMP_TYPES, parseDuration, parseEndpoint, stepText, patternText,
  type ArpOpPattern, type Count, type EndpointRef, type Expectation, type FramePattern, type IcmpTypePattern, type StepGroup,
} from './expectation.js';

/**
 * The expectation text format, one step per line (the README carries the same text):
 *
 *   # comment (to end of line); blank lines are ignored
 *   line      = step | "no" pattern | "any order" | "end"
 *   step      = ["then"] pattern { modifier }
 *   pattern   = "arp"  [arp-op]    [endpoints]
 *             | "icmp" [icmp-type] [endpoints]
 *   arp-op    = request | reply | gratuitous | probe | any            (default any)
 *   icmp-type = echo-request | echo-reply | unreachable | time-exceeded | any   (default any)
 *   endpoints = ENDPOINT "->" ENDPOINT | ["from" ENDPOINT] ["to" ENDPOINT]
 *   ENDPOINT  = any | IPv4 (172.30.0.10) | MAC (02:42:ac:1e:00:0a) | container name | "quoted label"
 *   modifier  = "x" N | "xN" | "at least" N | "at most" N      count (default: at least 1)
 *             | "within" DURATION                               (500ms, 2s, 1.5s, 250us)
 *             | "id" N | "seq" N                                icmp only
 *
 * Steps are met in the order written; other frames in between are ignored. A step takes frames
 * until the next step matches (so `x3` fails on a fourth match before the next step). Lines
 * between "any order" and "end" form a group met in any order. "within D" bounds when a step
 * must be met, counted from when the previous step (or group) was met, or from the first frame.
 * "then" only reads well: order is implied. A "no" line holds over the whole input, wherever it
 * is written. ARP "from" is the sender, "to" the target; ICMP uses the IP source and destination.
 */
export class ExpectationSyntaxError extends BridgescopeError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    detail: string,
  ) {
    super('BS_EXPECT_SYNTAX', `${file}:${line}:${column}: ${detail}`);
  }
}

interface Token {
  text: string;
  col: number;
}

function tokenize(line: string, file: string, lineNo: number): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === '#') break;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (c === '"') {
      const end = line.indexOf('"', i + 1);
      if (end < 0) throw new ExpectationSyntaxError(file, lineNo, i + 1, 'unterminated quoted name');
      out.push({ text: line.slice(i + 1, end), col: start + 1 });
      i = end + 1;
      continue;
    }
    if (line.startsWith('->', i)) {
      out.push({ text: '->', col: start + 1 });
      i += 2;
      continue;
    }
    while (i < line.length && !' \t\r#"'.includes(line[i]) && !line.startsWith('->', i)) i++;
    out.push({ text: line.slice(start, i), col: start + 1 });
  }
  return out;
}

class LineParser {
  private i = 0;
  constructor(
    private readonly toks: Token[],
    private readonly file: string,
    private readonly line: number,
    private readonly lineLength: number,
  ) {}

  get done(): boolean {
    return this.i >= this.toks.length;
  }

  peek(): string | undefined {
    return this.toks[this.i]?.text;
  }

  next(what: string): Token {
    const t = this.toks[this.i];
    if (!t) throw this.error(`expected ${what} at end of line`);
    this.i++;
    return t;
  }

  accept(word: string): boolean {
    if (this.peek() !== word) return false;
    this.i++;
    return true;
  }

  error(detail: string, tok: Token | undefined = this.toks[this.i]): ExpectationSyntaxError {
    return new ExpectationSyntaxError(this.file, this.line, tok ? tok.col : this.lineLength + 1, detail);
  }

  number(what: string): number {
    const t = this.next(what);
    if (!/^\d+$/.test(t.text)) throw this.error(`expected ${what}, got "${t.text}"`, t);
    return Number(t.text);
  }

  endpoint(): EndpointRef {
    const t = this.next('an endpoint (any, IP, MAC or container name)');
    const e = parseEndpoint(t.text);
    if (!e) throw this.error(`"${t.text}" is not an endpoint: expected any, an IPv4 address, a MAC or a container name`, t);
    return e;
  }

  pattern(): FramePattern {
    const t = this.next('arp or icmp');
    if (t.text !== 'arp' && t.text !== 'icmp') throw this.error(`expected arp or icmp, got "${t.text}"`, t);
    const ops: readonly string[] = t.text === 'arp' ? ARP_OPS : ICMP_TYPES;
    let op = 'any';
    const maybeOp = this.peek();
    if (maybeOp !== undefined && ops.includes(maybeOp)) {
      op = maybeOp;
      this.i++;
    }
    let from: EndpointRef = { kind: 'any' };
    let to: EndpointRef = { kind: 'any' };
    const next = this.peek();
    if (next === 'from' || next === 'to') {
      if (this.accept('from')) from = this.endpoint();
      if (this.accept('to')) to = this.endpoint();
    } else if (next !== undefined && !isModifier(next)) {
      const at = this.toks[this.i];
      from = this.endpoint();
      if (!this.accept('->')) {
        const hint = op === 'any' ? ` (or a misspelt ${t.text} type? one of ${ops.join(', ')})` : '';
        throw this.error(`expected "->" after ${at.text}${hint}`);
      }
      to = this.endpoint();
    }
    return t.text === 'arp'
      ? { proto: 'arp', op: op as ArpOpPattern, from, to }
      : { proto: 'icmp', op: op as IcmpTypePattern, from, to };
  }
}

const isModifier = (w: string) => /^x\d*$/.test(w) || w === 'at' || w === 'within' || w === 'id' || w === 'seq';

/** Parses the text format above; `file` names the source in errors ("expect.txt:3:14: ..."). */
export function parseExpectation(text: string, file = 'expectation'): Expectation {
  const groups: StepGroup[] = [];
  const forbidden: Expectation['forbidden'] = [];
  let open: { group: StepGroup; line: number } | undefined;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const lineNo = n + 1;
    const toks = tokenize(lines[n], file, lineNo);
    if (toks.length === 0) continue;
    const p = new LineParser(toks, file, lineNo, lines[n].replace(/\r$/, '').length);
    const first = toks[0].text;
    if (first === 'any' && toks[1]?.text === 'order') {
      if (open) throw p.error(`"any order" groups do not nest (the one from line ${open.line} is still open)`);
      if (toks.length > 2) throw p.error('nothing may follow "any order" on its line', toks[2]);
      open = { group: { steps: [], anyOrder: true }, line: lineNo };
      continue;
    }
    if (first === 'end') {
      if (!open) throw p.error('"end" without "any order"');
      if (toks.length > 1) throw p.error('nothing may follow "end" on its line', toks[1]);
      if (open.group.steps.length === 0) throw p.error(`"any order" group from line ${open.line} has no steps`);
      groups.push(open.group);
      open = undefined;
      continue;
    }
    if (first === 'no') {
      p.next('no');
      const pattern = p.pattern();
      if (!p.done) throw p.error(`unexpected "${p.peek()}": a "no" line takes no count, time or id/seq`);
      forbidden.push({ pattern, text: `no ${patternText(pattern)}`, line: lineNo });
      continue;
    }
    if (p.accept('then') && open) throw p.error('"then" inside an "any order" group', toks[0]);
    const pattern = p.pattern();
    let count: Count = { min: 1, max: Infinity };
    let withinNs: number | undefined;
    while (!p.done) {
      const t = p.next('a modifier');
      const xn = /^x(\d+)$/.exec(t.text);
      if (xn || t.text === 'x') {
        const n = xn ? Number(xn[1]) : p.number('a count after x');
        count = { min: n, max: n };
      } else if (t.text === 'at') {
        const w = p.next('least or most');
        if (w.text !== 'least' && w.text !== 'most') throw p.error(`expected "least" or "most" after "at", got "${w.text}"`, w);
        const n = p.number(`a count after "at ${w.text}"`);
        count = w.text === 'least' ? { min: n, max: Infinity } : { min: 0, max: n };
      } else if (t.text === 'within') {
        const d = p.next('a duration (500ms, 2s)');
        withinNs = parseDuration(d.text);
        if (withinNs === undefined) throw p.error(`"${d.text}" is not a duration: write e.g. 500ms, 2s, 1.5s`, d);
      } else if ((t.text === 'id' || t.text === 'seq') && pattern.proto === 'icmp') {
        const v = p.number(`a number after ${t.text}`);
        if (v > 65535) throw p.error(`${t.text} ${v} is above 65535`, t);
        pattern[t.text] = v;
      } else {
        throw p.error(`unexpected "${t.text}": expected x N, at least N, at most N, within D${pattern.proto === 'icmp' ? ', id N or seq N' : ''}`, t);
      }
    }
    const step = { pattern, count, withinNs, text: stepText(pattern, count, withinNs), line: lineNo };
    if (open) open.group.steps.push(step);
    else groups.push({ steps: [step], anyOrder: false });
  }
  if (open) throw new ExpectationSyntaxError(file, open.line, 1, `"any order" group is never closed with "end"`);
  if (groups.length === 0) throw new ExpectationSyntaxError(file, lines.length, 1, 'no steps: write at least one arp or icmp line');
  return { groups, forbidden, source: file };
}
