import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ExpectationNotMetError, expectSequence, matchExpectation, replay, sequence, type RecordedFrames } from '../../src/index.js';

const captures = fileURLToPath(new URL('../../captures/', import.meta.url));

/** The seed's step 5, as a user of the library writes it: ARP resolution, then the ping. */
const SEED = `
arp request web-bridge-1 -> web-bridge-2
then arp reply web-bridge-2 -> web-bridge-1 within 1s
any order
  icmp echo-request web-bridge-1 -> web-bridge-2 x4
  icmp echo-reply web-bridge-2 -> web-bridge-1 x4
end
then arp request web-bridge-2 -> web-bridge-1
no arp from web-default
`;

describe.each(['seed-ping.pcapng', 'seed-ping.pcap'])('the shipped seed capture %s through the public API', (name) => {
  let rec: RecordedFrames;
  beforeAll(async () => {
    rec = await replay(join(captures, name));
  });

  it('holds the seed sequence, named by container', async () => {
    // matchExpectation reports instead of throwing, so these assertions can fail.
    const r = matchExpectation(rec, SEED);
    expect(r.ok).toBe(true);
    expect(r.steps.length).toBeGreaterThanOrEqual(4);
    // expectSequence resolves (does not throw) on the same text, with the same verdict.
    await expect(expectSequence(rec, SEED)).resolves.toMatchObject({ ok: true, steps: r.steps });
  });

  it('the same built in TypeScript', () => {
    const e = sequence()
      .arp('request', 'web-bridge-1', 'web-bridge-2')
      .then()
      .arp('reply', 'web-bridge-2', 'web-bridge-1')
      .anyOrder((g) => g.icmp('echo-request', 'web-bridge-1', 'web-bridge-2').times(4).icmp('echo-reply', 'web-bridge-2', 'web-bridge-1').times(4));
    expect(matchExpectation(rec, e).ok).toBe(true);
  });

  it('fails, with a report, when the sequence is not there', async () => {
    const wrong = 'icmp echo-request web-bridge-2 -> web-default x1';
    await expect(expectSequence(rec, wrong)).rejects.toBeInstanceOf(ExpectationNotMetError);
    await expect(expectSequence(rec, wrong)).rejects.toThrow(/web-default/);
  });

  it('knows nothing of the names without the snapshot', async () => {
    const bare = await replay(join(captures, name), { names: false });
    expect(matchExpectation(bare, 'arp request web-bridge-1 -> web-bridge-2').ok).toBe(false);
    expect(matchExpectation(bare, 'arp request 172.30.0.10 -> 172.30.0.11').ok).toBe(true);
  });
});

describe('vitest matchers on a replay() result', () => {
  it('name frames with the capture\'s own snapshot', async () => {
    const { installBridgescopeMatchers } = await import('../../src/vitest/matchers.js');
    installBridgescopeMatchers();
    const rec = await replay(join(captures, 'seed-ping.pcapng'));
    expect(rec).toContainSequence(SEED);
    expect(rec).toHaveNoUnansweredArp();
    expect(rec).toHaveNoUnansweredEcho();
    expect(() => expect(rec).toContainSequence('icmp echo-request web-default -> web-bridge-1')).toThrow(/web-default/);
  });
});
