import { afterAll, beforeAll, expect, it } from 'vitest';
import { installBridgescopeMatchers } from '../../src/vitest/matchers.js';
import { capture, expectSequence, ExpectationNotMetError, type RecordedFrames } from '../../src/index.js';
import { labExec, seedLabDown, seedLabUp, waitFor } from '../lab/docker-lab.js';
import { flushContainerNeighbours } from '../lab/neighbours.js';
import { describeLive } from '../support/live.js';

/** The seed's experiment as a user's test writes it, in the expectation language. */
const SEED = `
arp request web-bridge-1 -> web-bridge-2
then arp reply web-bridge-2 -> web-bridge-1 within 10ms
any order
  icmp echo-request web-bridge-1 -> web-bridge-2 x3
  icmp echo-reply web-bridge-2 -> web-bridge-1 x3
end
no arp from web-default
`;

describeLive('library capture() on the seed lab', { root: true, docker: true, tools: ['nsenter'] }, () => {
  let rec: RecordedFrames;
  let framesWhileRunning = 0;

  beforeAll(async () => {
    await seedLabUp();
    flushContainerNeighbours('web-bridge-1', 'web-bridge-2');
    const cap = await capture('br_xx', { filter: 'arp or icmp' });
    try {
      labExec('web-bridge-1', ['ping', '-c', '3', '172.30.0.11']);
      framesWhileRunning = await waitFor('8 frames in memory', () => (cap.frames.length >= 8 ? cap.frames.length : undefined), 5_000);
    } finally {
      rec = await cap.stop();
    }
  });
  afterAll(async () => {
    await seedLabDown();
  });

  it('keeps the frames in memory as they come, with the capture counters at stop', () => {
    expect(framesWhileRunning).toBeGreaterThanOrEqual(8);
    expect(rec.frames.length).toBeGreaterThanOrEqual(framesWhileRunning);
    const stats = rec.stats.reduce((n, s) => n + s.received, 0);
    expect(stats).toBeGreaterThanOrEqual(rec.frames.length);
    expect(rec.stats.every((s) => s.droppedByKernel === 0)).toBe(true);
    expect(rec.topology?.containers.map((c) => c.name)).toEqual(expect.arrayContaining(['web-bridge-1', 'web-bridge-2']));
  });

  it('expectSequence passes on the seed sequence written with container names', async () => {
    const r = await expectSequence(rec, SEED);
    expect(r.ok).toBe(true);
    // The names are what matched: without the capture's names the same expectation fails.
    await expect(expectSequence(rec.frames, SEED)).rejects.toBeInstanceOf(ExpectationNotMetError);
  });

  it('a wrong expectation rejects with ExpectationNotMetError and a report naming the step', async () => {
    const wrong = 'arp request web-bridge-1 -> web-bridge-2\nicmp echo-request web-bridge-1 -> web-default x3';
    const err = await expectSequence(rec, wrong).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ExpectationNotMetError);
    const e = err as ExpectationNotMetError;
    expect(e.code).toBe('BS_EXPECT_NOT_MET');
    expect(e.result.ok).toBe(false);
    expect(e.message).toContain('web-default');
    // The nearest frames are the real echo requests, named.
    expect(e.message).toMatch(/web-bridge-1 > web-bridge-2 {2}ICMP echo request/);
  });

  it('the vitest matchers run on the recorded frames with the capture’s resolver', () => {
    installBridgescopeMatchers({ resolver: rec.resolver });
    expect(rec.frames).toContainSequence(SEED);
    expect(rec.frames).not.toContainSequence('icmp echo-request web-bridge-2 -> web-bridge-1');
    expect(rec.frames).toHaveNoUnansweredArp();
    expect(rec.frames).toHaveNoUnansweredEcho();
    expect(() => expect(rec.frames).toContainSequence('arp request web-default -> web-bridge-2')).toThrow(/web-default/);
  });
});
