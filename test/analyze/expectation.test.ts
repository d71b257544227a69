import { describe, expect, it } from 'vitest';
import { ExpectationSyntaxError, parseExpectation, sequence } from '../../src/analyze/index.js';

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
    expect(e.forbidden).toEqual([{ pattern: { proto: 'arp', op: 'any', from: { kind: 'name', name: 'web-default' }, to: { kind: 'any' } }, text: 'no arp any web-default -> any', line: 8 }]);
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
    ['tcp a -> b', 1, 1, 'expected arp or icmp, got "tcp"'],
    ['arp a -> b within 2 s', 1, 19, '"2" is not a duration'],
    ['arp a -> b seq 1', 1, 12, 'unexpected "seq": expected x N, at least N, at most N, within D'],
    ['arp a -> 300.1.1.1', 1, 10, '"300.1.1.1" is not an endpoint'],
    ['no arp from x x3', 1, 15, 'a "no" line takes no count'],
    ['any order\narp a -> b\n', 1, 1, '"any order" group is never closed'],
    ['end', 1, 1, '"end" without "any order"'],
    ['any order\nthen arp a -> b\nend', 2, 1, '"then" inside an "any order" group'],
    ['arp a -> "b', 1, 10, 'unterminated quoted name'],
    ['# nothing\n', 2, 1, 'no steps'],
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

  it('refuses a modifier with no step and a bad endpoint', () => {
    expect(() => sequence().times(2)).toThrow('a count needs a step before it');
    expect(() => sequence().arp('request', 'no such!')).toThrow('expected any, an IPv4 address, a MAC or a container name');
    expect(() => sequence().arp('request').within('soon')).toThrow('expectation duration "soon"');
  });
});
