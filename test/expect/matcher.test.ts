import { beforeAll, describe, expect, it } from 'vitest';
import { formatMatchReport, matchExpectation, expectSequence, ExpectationNotMetError, sequence } from '../../src/expect/index.js';
import { installBridgescopeMatchers } from '../../src/vitest/matchers.js';
import { A, B, C, Timeline, arpFrame, echoFrame, icmpErrorFrame } from '../analyze/build-frames.js';
import { namesFor } from '../analyze/resolver.js';

const resolver = namesFor({ 'web-bridge-1': A, 'web-bridge-2': B, 'web-default': C });

/** The seed's exchange: ARP, then 4 echo pairs a second apart, then web-bridge-2's own ARP. */
function seedFrames(pings = 4, answered = pings) {
  const t = new Timeline().at(0, arpFrame(1, A, { ip: B.ip })).at(0.05, arpFrame(2, B, A));
  for (let i = 0; i < pings; i++) {
    t.at(1 + i * 1000, echoFrame(8, A, B, 7, i));
    if (i < answered) t.at(1.07 + i * 1000, echoFrame(0, B, A, 7, i));
  }
  return t.at(5200, arpFrame(1, B, { ip: A.ip })).at(5200.06, arpFrame(2, A, B)).frames;
}

const SEED = `arp request web-bridge-1 -> web-bridge-2
arp reply web-bridge-2 -> web-bridge-1 within 10ms
any order
  icmp echo-request web-bridge-1 -> web-bridge-2 x4
  icmp echo-reply web-bridge-2 -> web-bridge-1 x4
end
no arp from web-default`;

describe('matchExpectation', () => {
  it('meets the seed sequence and says which frames met each step', () => {
    const r = matchExpectation(seedFrames(), SEED, { resolver });
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => s.frames)).toEqual([[1], [2], [3, 5, 7, 9], [4, 6, 8, 10], []]);
    expect(formatMatchReport(r)).toContain('expectation met (12 frames)');
  });

  it('is met by the builder form and by addresses instead of names, without a resolver', () => {
    const e = sequence().arp('request', '172.30.0.10', '172.30.0.11').then().icmp('echo-reply', '02:42:ac:1e:00:0b', 'any', { seq: 3 });
    expect(matchExpectation(seedFrames(), e).ok).toBe(true);
  });

  it('fails on a missing step with the nearest frames and why they missed', () => {
    const r = matchExpectation(seedFrames(), 'arp request web-bridge-1 -> web-bridge-2\nicmp echo-request web-bridge-1 -> web-bridge-2 seq 9', { resolver });
    expect(r.ok).toBe(false);
    expect(r.failure).toMatchObject({ step: 1, kind: 'missing', line: 2 });
    expect(r.failure!.reason).toBe('0 of at least 1 matching frames after frame 1 by the end of the input (12 frames)');
    expect(r.failure!.nearest.map((n) => [n.frame, n.why])).toEqual([
      [3, ['seq 0, expected 9']], [5, ['seq 1, expected 9']], [7, ['seq 2, expected 9']],
    ]);
    const report = formatMatchReport(r);
    expect(report).toContain('expectation NOT met: step 2 (line 2): icmp echo-request web-bridge-1 -> web-bridge-2 seq 9');
    expect(report).toMatch(/ok +1 {2}arp request web-bridge-1 -> web-bridge-2 +frame 1\n/);
    expect(report).toMatch(/FAIL {2}2 {2}icmp echo-request .* no frame/);
    expect(report).toContain('web-bridge-1 > web-bridge-2  ICMP echo request, id 7, seq 0');
    // Context: the frames after the last met step, and the last frames of the input.
    expect(r.failure!.context.map((c) => c.frame)).toEqual([2, 3, 4, 5, 9, 10, 11, 12]);
  });

  it('fails when a step matches more often than its exact count', () => {
    const r = matchExpectation(seedFrames(5), 'icmp echo-request web-bridge-1 -> web-bridge-2 x4\narp request web-bridge-2 -> web-bridge-1', { resolver });
    expect(r.failure).toMatchObject({ kind: 'too-many', step: 0, frame: 11 });
    expect(r.failure!.reason).toBe('frame 11 is match 5, expected 4');
    expect(formatMatchReport(r)).toMatch(/> +11 .*seq 4/);
  });

  it('fails when replies are missing in an any-order group, naming the unmet step', () => {
    const r = matchExpectation(seedFrames(4, 2), SEED, { resolver });
    expect(r.failure).toMatchObject({ kind: 'missing', step: 3 });
    expect(r.failure!.reason).toContain('2 of 4 matching frames');
    expect(r.steps[2]).toMatchObject({ met: true, matched: 4 });
  });

  it('fails a within bound on the frame clock', () => {
    const r = matchExpectation(seedFrames(), 'arp reply web-bridge-2 -> web-bridge-1\nicmp echo-request web-bridge-1 -> web-bridge-2 seq 2 within 1500ms', { resolver });
    expect(r.failure).toMatchObject({ kind: 'too-late', step: 1, frame: 7 });
    expect(r.failure!.reason).toBe('not met within 1500 ms of frame 2: frame 7 is 2001 ms later (0 of at least 1 so far)');
  });

  it('fails on a forbidden frame anywhere', () => {
    const frames = seedFrames();
    frames.splice(4, 0, ...new Timeline().at(500, arpFrame(1, C, { ip: '172.17.0.1' })).frames);
    const r = matchExpectation(frames, SEED, { resolver });
    expect(r.failure).toMatchObject({ kind: 'forbidden', step: 4, frame: 5 });
    expect(formatMatchReport(r)).toMatch(/FAIL {2}5 {2}no arp from web-default +frame 5/);
  });

  it('says when a name never appears (typo, or no topology)', () => {
    const r = matchExpectation(seedFrames(), 'arp request web-bridge-3 -> any', { resolver });
    expect(r.failure!.reason).toContain('no frame was named web-bridge-3');
    expect(r.failure!.nearest[0].why).toEqual(['sender is web-bridge-1 (172.30.0.10), expected web-bridge-3']);
  });

  it('expectSequence throws the report as an ExpectationNotMetError (exit code 1)', async () => {
    const err = await expectSequence(seedFrames(), 'icmp echo-request any -> web-default', { resolver }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExpectationNotMetError);
    expect((err as ExpectationNotMetError).exitCode).toBe(1);
    expect((err as Error).message).toContain('expectation NOT met: step 1');
  });
});

describe('x0, ranges and "no"-only files', () => {
  it('x0 between two steps holds when nothing matches there (bug: "0 of 0 matching frames")', () => {
    const r = matchExpectation(seedFrames(), 'arp request web-bridge-1 -> web-bridge-2\nicmp echo-request web-bridge-2 -> web-bridge-1 x0\narp request web-bridge-2 -> web-bridge-1', { resolver });
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => s.frames)).toEqual([[1], [], [11]]);
    expect(matchExpectation(seedFrames(), 'arp reply\nicmp echo-request web-default -> any x0', { resolver }).ok).toBe(true);
    expect(matchExpectation(seedFrames(), 'icmp echo-request web-default -> any x0', { resolver }).ok).toBe(true);
  });

  it('x0 fails on the first frame that matches it', () => {
    const r = matchExpectation(seedFrames(), 'arp reply web-bridge-2 -> web-bridge-1\nicmp echo-reply x0\narp request web-bridge-2 -> web-bridge-1', { resolver });
    expect(r.failure).toMatchObject({ kind: 'too-many', step: 1, frame: 4 });
    expect(r.failure!.reason).toBe('frame 4 is match 1, expected none');
    const alone = matchExpectation(seedFrames(), 'icmp echo-request x0', { resolver });
    expect(alone.failure).toMatchObject({ kind: 'too-many', step: 0, frame: 3 });
  });

  it('a range x2..3 takes two or three', () => {
    const e = (n: number) => `icmp echo-request web-bridge-1 -> web-bridge-2 x${n}..${n + 1}\narp request web-bridge-2 -> web-bridge-1`;
    expect(matchExpectation(seedFrames(), e(3), { resolver }).ok).toBe(true);
    expect(matchExpectation(seedFrames(), e(4), { resolver }).ok).toBe(true);
    expect(matchExpectation(seedFrames(), e(2), { resolver }).failure).toMatchObject({ kind: 'too-many', frame: 9 });
    expect(matchExpectation(seedFrames(), e(5), { resolver }).failure!.reason).toContain('4 of 5 to 6 matching frames');
  });

  it('a file of only "no" lines is checked over the whole input', () => {
    expect(matchExpectation(seedFrames(), 'no arp from web-default\nno icmp to web-default', { resolver }).ok).toBe(true);
    const frames = [...seedFrames(), ...new Timeline().at(6000, arpFrame(1, C, { ip: '172.17.0.1' })).frames];
    const r = matchExpectation(frames, 'no arp from web-default', { resolver });
    expect(r.failure).toMatchObject({ kind: 'forbidden', step: 0, frame: 13 });
    expect(formatMatchReport(r)).toMatch(/FAIL {2}1 {2}no arp from web-default +frame 13/);
  });
});

describe('id and seq on ICMP errors', () => {
  /** A's echo id 7 seq 3 to B, answered by C with time-exceeded (or unreachable) quoting it. */
  function quoted(type: 3 | 11) {
    const echo = echoFrame(8, A, B, 7, 3);
    return new Timeline().at(0, echo).at(0.01, icmpErrorFrame(type, 0, C, A, echo)).frames;
  }

  it.each([[11, 'time-exceeded'], [3, 'unreachable']] as const)('match the echo that type %i (%s) quotes (bug: "seq none")', (type, name) => {
    expect(matchExpectation(quoted(type), `icmp ${name} web-default -> web-bridge-1 id 7 seq 3`, { resolver }).ok).toBe(true);
    const r = matchExpectation(quoted(type), `icmp ${name} to web-bridge-1 seq 4`, { resolver });
    expect(r.ok).toBe(false);
    expect(r.failure!.nearest.map((n) => [n.frame, n.why])).toEqual([[2, ['quoted seq 3, expected 4']]]);
  });
});

describe('the report', () => {
  it('marks frames skipped in "frames around it" with ...', () => {
    const r = matchExpectation(seedFrames(), 'arp request web-bridge-1 -> web-bridge-2\nicmp echo-request web-bridge-1 -> web-bridge-2 seq 9', { resolver });
    const around = formatMatchReport(r).split('frames around it:\n')[1].split('\n').filter(Boolean);
    expect(around.map((l) => l.trim().split(/\s+/)[0])).toEqual(['...', '2', '3', '4', '5', '...', '9', '10', '11', '12']);
  });

  it('a count failure lists only frames one criterion away, not every ICMP frame', () => {
    const frames = seedFrames(4, 2);
    frames.push(...new Timeline().at(6000, echoFrame(0, C, A, 7, 2)).frames);
    const r = matchExpectation(frames, 'icmp echo-reply web-bridge-2 -> web-bridge-1 x4', { resolver });
    expect(r.failure).toMatchObject({ kind: 'missing', step: 0 });
    expect(r.failure!.reason).toContain('2 of 4 matching frames');
    expect(r.failure!.nearest.map((n) => [n.frame, n.why])).toEqual([[11, ['source is web-default (172.17.0.2), expected web-bridge-2']]]);
  });
});

describe('vitest matchers', () => {
  beforeAll(() => installBridgescopeMatchers({ resolver }));

  it('toContainSequence passes on the seed and fails with the report as message', () => {
    expect(seedFrames()).toContainSequence(SEED);
    expect(seedFrames()).not.toContainSequence('arp request web-default -> any');
    let message = '';
    try {
      expect(seedFrames(4, 3)).toContainSequence(SEED);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('expectation NOT met: step 4 (line 5): icmp echo-reply web-bridge-2 -> web-bridge-1 x4');
    expect(message).toContain('3 of 4 matching frames');
  });

  it('toHaveNoUnansweredArp / toHaveNoUnansweredEcho, and their negative', () => {
    expect(seedFrames()).toHaveNoUnansweredArp();
    expect(seedFrames()).toHaveNoUnansweredEcho();
    // The last request is unanswered though the input ends before its timeout: matchers are strict.
    expect(() => expect(seedFrames(4, 3)).toHaveNoUnansweredEcho()).toThrow(
      /expected no unanswered echo requests, found 1:\n {2}frame 9: web-bridge-1 -> web-bridge-2 echo request id 7 seq 3: no reply within 1000 ms/,
    );
    const lonely = new Timeline().at(0, arpFrame(1, A, { ip: '172.30.0.99' })).frames;
    expect(lonely).not.toHaveNoUnansweredArp();
  });
});
