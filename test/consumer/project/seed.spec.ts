// A project that uses bridgescope as its README says, installed from the packed tarball.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ExpectationNotMetError, expectSequence, matchExpectation, openCaptureFile, parseExpectation, replay, sequence,
  type ExpectationBuilder, type FailureKind, type MatchFailure, type MatchOptions, type MatchResult, type NearMiss,
  type RecordedFrames, type Step, type StepResult,
} from 'bridgescope';
import { installBridgescopeMatchers } from 'bridgescope/vitest';

const pkg = dirname(createRequire(import.meta.url).resolve('bridgescope/package.json'));
const seed = join(pkg, 'captures', 'seed-ping.pcapng');

const SEED = `arp request web-bridge-1 -> web-bridge-2
then arp reply web-bridge-2 -> web-bridge-1 within 10ms
any order
  icmp echo-request web-bridge-1 -> web-bridge-2 x4
  icmp echo-reply web-bridge-2 -> web-bridge-1 x2..4
end
no arp from web-default`;

installBridgescopeMatchers();

describe('bridgescope from its package', () => {
  let rec: RecordedFrames;
  beforeAll(async () => {
    rec = await replay(seed);
  });

  it('meets the seed sequence with the matcher and the builder', () => {
    expect(rec).toContainSequence(SEED);
    const built: ExpectationBuilder = sequence()
      .arp('request', 'web-bridge-1', 'web-bridge-2')
      .then().arp('reply', 'web-bridge-2', 'web-bridge-1').within('10ms')
      .no('arp', { from: 'web-default' });
    expect(rec).toContainSequence(built);
    expect(rec).toHaveNoUnansweredArp();
  });

  it('one matchExpectation for a recording and a source', async () => {
    const opts: MatchOptions = { resolver: rec.resolver };
    const fromSource: MatchResult = await matchExpectation(openCaptureFile(seed), SEED, opts);
    expect(fromSource.ok).toBe(true);
    expect(matchExpectation(rec, SEED).ok).toBe(true);
  });

  it('reports a failure as data', async () => {
    const r = matchExpectation(rec, 'icmp echo-request web-bridge-1 -> web-bridge-2 seq 9');
    const f: MatchFailure | undefined = r.failure;
    const kind: FailureKind | undefined = f?.kind;
    const nearest: NearMiss[] = f?.nearest ?? [];
    const steps: StepResult[] = r.steps;
    expect([r.ok, kind, steps.length]).toEqual([false, 'missing', 1]);
    expect(nearest[0].why).toEqual(['seq 0, expected 9']);
    await expect(expectSequence(rec, 'arp request web-default -> any')).rejects.toBeInstanceOf(ExpectationNotMetError);
    const step: Step = parseExpectation('icmp echo-request x0').groups[0].steps[0];
    expect(step.count).toEqual({ min: 0, max: 0 });
  });

  it('refuses a misspelt operation at compile time and at run time', () => {
    // @ts-expect-error: not an ICMP type
    expect(() => sequence().no('icmp', { op: 'echo-reqest' })).toThrow('"echo-reqest" is not an icmp type');
  });
});
