import { parseDuration } from '../duration.js';
import { BridgescopeError } from '../errors.js';
import {
  PATTERN_OPS, StepModifiers, parseEndpoint,
  type EndpointRef, type Expectation, type FramePattern, type StepGroup,
} from './expectation.js';

/**
 * The expectation text format. Its grammar and meaning are written once, in the README
 * ("Asserting sequences"); this parser follows it. Errors point at file:line:column.
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
  /** Column just past the token (past the closing quote of a quoted name). */
  end: number;
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
      out.push({ text: line.slice(i + 1, end), col: start + 1, end: end + 2 });
      i = end + 1;
      continue;
    }
    if (line.startsWith('->', i)) {
      out.push({ text: '->', col: start + 1, end: start + 3 });
      i += 2;
      continue;
    }
    while (i < line.length && !' \t\r#"'.includes(line[i]) && !line.startsWith('->', i)) i++;
    out.push({ text: line.slice(start, i), col: start + 1, end: i + 1 });
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
    if (!e) throw this.error(`"${t.text}" is not an endpoint: expected any, an IPv4 or IPv6 address, a MAC or a container name`, t);
    return e;
  }

  /** One count, time or id/seq modifier, applied through `mods` (which refuses conflicts). */
  modifier(mods: StepModifiers, pattern: FramePattern): void {
    const t = this.next('a modifier');
    let err: string | undefined;
    if (/^x[\d.]*$/.test(t.text)) {
      const range = t.text !== 'x' ? t.text.slice(1) : this.next('a count after x').text;
      const m = /^(\d+)(?:\.\.(\d+))?$/.exec(range);
      if (!m) throw this.error(`expected a count after x (x3, x2..3), got "${t.text === 'x' ? range : t.text}"`, t);
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : Number(m[2]);
      err = mods.times(min, max, this.since(t), t.col);
    } else if (t.text === 'at') {
      const w = this.next('least or most');
      if (w.text !== 'least' && w.text !== 'most') throw this.error(`expected "least" or "most" after "at", got "${w.text}"`, w);
      const n = this.number(`a count after "at ${w.text}"`);
      err = w.text === 'least' ? mods.atLeast(n, this.since(t), t.col) : mods.atMost(n, this.since(t), t.col);
    } else if (t.text === 'within') {
      const d = this.next('a duration (500ms, 2s)');
      const ns = parseDuration(d.text);
      if (ns === undefined) throw this.error(`"${d.text}" is not a duration: write e.g. 500ms, 2s, 1.5s`, d);
      err = mods.within(ns, this.since(t), t.col);
    } else if ((t.text === 'id' || t.text === 'seq') && (pattern.proto === 'icmp' || pattern.proto === 'icmp6')) {
      err = mods.idOrSeq(t.text, this.number(`a number after ${t.text}`), t.col);
    } else {
      throw this.error(`unexpected "${t.text}": expected x N, x N..M, at least N, at most N, within D${pattern.proto === 'icmp' || pattern.proto === 'icmp6' ? ', id N or seq N' : ''}`, t);
    }
    if (err) throw this.error(err, t);
  }

  /** The source text from token `t` to the last one taken, as written. */
  private since(t: Token): string {
    return this.toks.slice(this.toks.indexOf(t), this.i).map((k) => k.text).join(' ');
  }

  pattern(): FramePattern {
    const t = this.next('arp, icmp, ndp or icmp6');
    const proto = t.text as FramePattern['proto'];
    const ops: readonly string[] | undefined = Object.hasOwn(PATTERN_OPS, proto) ? PATTERN_OPS[proto] : undefined;
    if (!ops) throw this.error(`expected arp, icmp, ndp or icmp6, got "${t.text}"`, t);
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
    return { proto, op, from, to } as FramePattern;
  }
}

const isModifier = (w: string) => /^x[\d.]*$/.test(w) || w === 'at' || w === 'within' || w === 'id' || w === 'seq';

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
      const last = toks[toks.length - 1];
      forbidden.push({ pattern, text: lines[n].slice(toks[0].col - 1, last.end - 1), line: lineNo });
      continue;
    }
    if (p.accept('then') && open) throw p.error('"then" inside an "any order" group', toks[0]);
    const pattern = p.pattern();
    const mods = new StepModifiers();
    while (!p.done) p.modifier(mods, pattern);
    if (pattern.proto === 'icmp' || pattern.proto === 'icmp6') {
      pattern.id = mods.id;
      pattern.seq = mods.seq;
    }
    const last = toks[toks.length - 1];
    const text = lines[n].slice(toks[0].col - 1, last.end - 1);
    const step = { pattern, count: mods.count, withinNs: mods.withinNs, text, line: lineNo };
    if (open) open.group.steps.push(step);
    else groups.push({ steps: [step], anyOrder: false });
  }
  if (open) throw new ExpectationSyntaxError(file, open.line, 1, `"any order" group is never closed with "end"`);
  if (groups.length === 0 && forbidden.length === 0) {
    const lastLine = Math.max(1, lines.length - (lines[lines.length - 1] === '' ? 1 : 0));
    throw new ExpectationSyntaxError(file, lastLine, 1, 'no steps: write at least one arp, icmp, ndp, icmp6 or "no" line');
  }
  return { groups, forbidden, source: file };
}
