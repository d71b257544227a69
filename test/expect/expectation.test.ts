import { describe, expect, it } from 'vitest';
import { ExpectationSyntaxError, parseExpectation, sequence } from '../../src/expect/index.js';

const SEED = `# the seed: web-bridge-1 pings web-bridge-2 on br_xx
arp request web-bridge-1 -> web-bridge-2
then arp reply web-bridge-2 -> web-bridge-1 within 1s
any order
  icmp echo-request web-bridge-1 -> web-bridge-2 x4   # ping -c 4
  icmp echo-reply 172.30.0.11 -> 02:42:ac:1e:00:0a at least 4
end
no arp from web-default
icmp echo-request from web-bridge-1 seq 3 id 7
`;

function syntaxError(text: string): ExpectationSyntaxError {
  try {
    parseExpectation(text, 'seed.expect');
  } catch (e) {
    if (e instanceof ExpectationSyntaxError) return e;
    throw e;
  }
  throw new Error('parsed without error');
}

describe('expectation text format', () => {
  it('parses steps, groups, counts, durations, endpoints and no-lines', () => {
    const e = parseExpectation(SEED, 'seed.expect');
    expect(e.groups.map((g) => [g.anyOrder, g.steps.map((s) => s.line)])).toEqual([[false, [2]], [false, [3]], [true, [5, 6]], [false, [9]]]);
    expect(e.groups[1].steps[0]).toMatchObject({ withinNs: 1e9, count: { min: 1, max: Infinity }, pattern: { proto: 'arp', op: 'reply', from: { kind: 'name', name: 'web-bridge-2' } } });
    expect(e.groups[2].steps[0].count).toEqual({ min: 4, max: 4 });
    expect(e.groups[2].steps[1]).toMatchObject({
      count: { min: 4, max: Infinity },
      pattern: { from: { kind: 'ip', ip: 0xac1e000b }, to: { kind: 'mac', mac: 0x0242ac1e000a } },
    });
    expect(e.groups[3].steps[0].pattern).toMatchObject({ op: 'echo-request', from: { kind: 'name' }, to: { kind: 'any' }, seq: 3, id: 7 });
    expect(e.forbidden).toEqual([{ pattern: { proto: 'arp', op: 'any', from: { kind: 'name', name: 'web-default' }, to: { kind: 'any' } }, text: 'no arp from web-default', line: 8 }]);
    // Steps are echoed as written (comments and indentation dropped).
    expect(e.groups[2].steps[0].text).toBe('icmp echo-request web-bridge-1 -> web-bridge-2 x4');
    expect(e.groups[1].steps[0].text).toBe('then arp reply web-bridge-2 -> web-bridge-1 within 1s');
  });

  it('takes a range as x2..3 or as at least 2 at most 3, and x0 as none', () => {
    const e = parseExpectation('icmp a -> b x2..3\nicmp a -> b at least 2 at most 3\nicmp a -> b at most 3 at least 2\nicmp a -> b x0\nicmp a -> b x 1..1');
    expect(e.groups.map((g) => g.steps[0].count)).toEqual([{ min: 2, max: 3 }, { min: 2, max: 3 }, { min: 2, max: 3 }, { min: 0, max: 0 }, { min: 1, max: 1 }]);
  });

  it('holds a file of only "no" lines (bug: "no steps" pointing past the end)', () => {
    const e = parseExpectation('# nothing from the default bridge\nno arp from web-default\nno icmp to web-default\n', 'only-no.expect');
    expect(e.groups).toEqual([]);
    expect(e.forbidden.map((f) => [f.text, f.line])).toEqual([['no arp from web-default', 2], ['no icmp to web-default', 3]]);
  });

  it('accepts x 3, at most, 500ms, quoted labels and -> without spaces', () => {
    const e = parseExpectation('icmp any "gateway (host)"->any x 3 within 500ms\narp at most 2');
    expect(e.groups[0].steps[0]).toMatchObject({ count: { min: 3, max: 3 }, withinNs: 5e8, pattern: { from: { kind: 'name', name: 'gateway (host)' } } });
    expect(e.groups[1].steps[0].count).toEqual({ min: 0, max: 2 });
  });

  it.each([
    ['arp request web-bridge-1 web-bridge-2', 1, 26, 'expected "->" after web-bridge-1'],
    ['arp requst a -> b', 1, 12, 'expected "->" after requst (or a misspelt arp type? one of request, reply, gratuitous, probe, any)'],
    ['\n\nicmp echo-request a -> b seq x', 3, 30, 'expected a number after seq, got "x"'],
    ['tcp a -> b', 1, 1, 'expected arp, icmp, ndp or icmp6, got "tcp"'],
    ['arp a -> b within 2 s', 1, 19, '"2" is not a duration'],
    ['arp a -> b seq 1', 1, 12, 'unexpected "seq": expected x N, x N..M, at least N, at most N, within D'],
    ['arp a -> 300.1.1.1', 1, 10, '"300.1.1.1" is not an endpoint'],
    ['no arp from x x3', 1, 15, 'a "no" line takes no count'],
    ['any order\narp a -> b\n', 1, 1, '"any order" group is never closed'],
    ['end', 1, 1, '"end" without "any order"'],
    ['any order\nthen arp a -> b\nend', 2, 1, '"then" inside an "any order" group'],
    ['arp a -> "b', 1, 10, 'unterminated quoted name'],
    ['# nothing\n', 1, 1, 'no steps'],
    ['icmp a -> b x4 at least 1', 1, 16, '"at least 1" conflicts with "x4" (column 13)'],
    ['icmp a -> b at least 1 x4', 1, 24, '"x4" conflicts with "at least 1" (column 13)'],
    ['icmp a -> b at least 1 at least 2', 1, 24, '"at least 2" conflicts with "at least 1"'],
    ['icmp a -> b at most 1 at most 2', 1, 23, '"at most 2" conflicts with "at most 1"'],
    ['icmp a -> b x2 x 3', 1, 16, '"x 3" conflicts with "x2"'],
    ['icmp a -> b within 1ms within 5s', 1, 24, '"within 5s" conflicts with "within 1ms"'],
    ['icmp a -> b seq 1 seq 2', 1, 19, '"seq 2" conflicts with "seq 1"'],
    ['icmp a -> b id 1 id 2', 1, 18, '"id 2" conflicts with "id 1"'],
    ['icmp a -> b at least 3 at most 2', 1, 24, 'at least 3 at most 2 is an empty range'],
    ['icmp a -> b x3..2', 1, 13, 'x3..2 is an empty range'],
    ['icmp a -> b x2..', 1, 13, 'expected a count after x'],
    ['icmp a -> b at 3', 1, 16, 'expected "least" or "most" after "at", got "3"'],
  ])('rejects %j at line %i column %i', (text, line, column, detail) => {
    const e = syntaxError(text);
    expect(e.code).toBe('BS_EXPECT_SYNTAX');
    expect(e.exitCode).toBe(2);
    expect([e.line, e.column]).toEqual([line, column]);
    expect(e.message.startsWith(`seed.expect:${line}:${column}: `)).toBe(true);
    expect(e.message).toContain(detail);
  });
});

describe('expectation builder', () => {
  it('builds what the text format parses', () => {
    const built = sequence()
      .arp('request', 'web-bridge-1', 'web-bridge-2')
      .then().arp('reply', 'web-bridge-2', 'web-bridge-1').within('1s')
      .anyOrder((g) => g.icmp('echo-request', 'web-bridge-1', 'web-bridge-2').times(4).icmp('echo-reply', '172.30.0.11', '02:42:ac:1e:00:0a').atLeast(4))
      .no('arp', { from: 'web-default' })
      .icmp('echo-request', 'web-bridge-1', 'any', { seq: 3, id: 7 })
      .build();
    const parsed = parseExpectation(SEED, 'seed.expect');
    const shape = (e: typeof built) => ({ groups: e.groups.map((g) => ({ anyOrder: g.anyOrder, steps: g.steps.map(({ pattern, count, withinNs }) => ({ pattern, count, withinNs })) })), forbidden: e.forbidden.map((f) => f.pattern) });
    expect(shape(built)).toEqual(shape(parsed));
  });

  it('refuses what does not exist, at run time too (bug: a misspelt op held silently)', () => {
    // @ts-expect-error: 'echo-reqest' is not an ICMP type
    expect(() => sequence().no('icmp', { op: 'echo-reqest' })).toThrow('"echo-reqest" is not an icmp type: one of echo-request, echo-reply, unreachable, time-exceeded, any');
    // @ts-expect-error: 'reqest' is not an ARP op
    expect(() => sequence().no('arp', { op: 'reqest' })).toThrow('"reqest" is not an arp op');
    // @ts-expect-error: an ARP op on an ICMP pattern
    expect(() => sequence().no('icmp', { op: 'request' })).toThrow('"request" is not an icmp type');
    // @ts-expect-error: tcp is not a protocol of the language
    expect(() => sequence().no('tcp')).toThrow('"tcp" is not a protocol: arp, icmp, ndp, icmp6');
    // @ts-expect-error: misspelt in a step too
    expect(() => sequence().icmp('echo-reqest')).toThrow('"echo-reqest" is not an icmp type');
    expect(() => sequence().arp('request').times(-1)).toThrow('count -1: expected a whole number, 0 or more');
    expect(() => sequence().arp('request').times(1.5)).toThrow('count 1.5');
    expect(() => sequence().arp('request').atLeast(Number.NaN)).toThrow('count NaN');
    expect(() => sequence().icmp('echo-request', 'any', 'any', { seq: 70000 })).toThrow('seq 70000: expected 0 to 65535');
    expect(() => sequence().arp('request').within(-5)).toThrow('expectation duration -5');
  });

  it('has the same count rules as the text: ranges combine, conflicts are errors', () => {
    const counts = sequence().arp('request').times(2, 3).arp('reply').atLeast(2).atMost(3).icmp('echo-request').times(0).build()
      .groups.map((g) => g.steps[0].count);
    expect(counts).toEqual([{ min: 2, max: 3 }, { min: 2, max: 3 }, { min: 0, max: 0 }]);
    expect(() => sequence().arp('request').times(4).atLeast(1)).toThrow('"at least 1" conflicts with "x4"');
    expect(() => sequence().arp('request').within('1ms').within('5s')).toThrow('"within 5s" conflicts with "within 1ms"');
    expect(() => sequence().arp('request').atLeast(3).atMost(2)).toThrow('at least 3 at most 2 is an empty range');
    expect(sequence().no('arp', { from: 'web-default' }).build().forbidden[0].text).toBe('no arp from web-default');
  });

  it('refuses a modifier with no step and a bad endpoint', () => {
    expect(() => sequence().times(2)).toThrow('a count needs a step before it');
    expect(() => sequence().arp('request', 'no such!')).toThrow('expected any, an IPv4 or IPv6 address, a MAC or a container name');
    expect(() => sequence().arp('request').within('soon')).toThrow('expectation duration "soon"');
  });
});
