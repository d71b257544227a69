import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { matchExpectation, replay, type RecordedFrames } from '../../src/index.js';
import { runCli } from '../cli/run-cli.js';

const file = join(fileURLToPath(new URL('../../captures/', import.meta.url)), 'dual-stack-ping.pcapng');

/** What lab/record-dual-stack.sh did on shopnet6 (captures/README.md), as an expectation. */
const PING6 = `
ndp solicit alpha-web -> beta-db
then ndp advert beta-db -> alpha-web within 10ms
any order
  icmp6 echo-request alpha-web -> beta-db x3
  icmp6 echo-reply beta-db -> alpha-web x3
end
any order
  ndp solicit alpha-web -> fd42:b7::99 x3
  icmp6 unreachable beta-db -> alpha-web
end
no ndp advert from fd42:b7::99
`;

describe('the shipped dual-stack capture, named from the snapshot inside it', () => {
  let rec: RecordedFrames;
  beforeAll(async () => {
    rec = await replay(file);
  });

  it('holds the cold ping -6, the unanswered solicitations and the port unreachable, by container name', () => {
    const r = matchExpectation(rec, PING6);
    expect(r.ok, JSON.stringify(r.steps.filter((s) => !s.met))).toBe(true);
  });

  it('knows nothing of the names without the snapshot', async () => {
    const bare = await replay(file, { names: false });
    expect(matchExpectation(bare, 'ndp solicit alpha-web -> beta-db').ok).toBe(false);
    expect(matchExpectation(bare, 'ndp solicit fd42:b7::2 -> fd42:b7::3').ok).toBe(true);
  });

  it('replay prints NDP and echo6 lines named, with the findings', () => {
    const r = runCli(['replay', file, '--no-tui']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n').map((l) => l.slice(l.indexOf('  ') + 2));
    expect(lines[0]).toBe('alpha-web > ff02::1:ff00:3  NDP who-has fd42:b7::3 (beta-db) tell fd42:b7::2 (alpha-web)');
    // Replies carry their rtt as the IPv4 ones do: the advert's since its solicitation.
    expect(lines[1]).toMatch(/^beta-db > alpha-web {2}NDP fd42:b7::3 \(beta-db\) is-at 02:42:ac:1b:09:03 \(solicited, override\), rtt 0\.\d{3} ms$/);
    for (const seq of [1, 2, 3]) {
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^alpha-web > beta-db {2}ICMPv6 echo request, id \\d+, seq ${seq}$`)));
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^beta-db > alpha-web {2}ICMPv6 echo reply, id \\d+, seq ${seq}, rtt 0\\.\\d{3} ms$`)));
    }
    expect(lines).toContain('alpha-web > ff02::1:ff00:99  NDP who-has fd42:b7::99 tell fd42:b7::2 (alpha-web)');
    expect(r.stdout).toContain('! alpha-web solicited fd42:b7::99: no advertisement within 1000 ms');
    expect(r.stdout).toContain('! beta-db told alpha-web: destination unreachable (port unreachable) for alpha-web > beta-db UDP');
  });

  it('summary counts NDP and echo6 per pair', () => {
    const r = runCli(['summary', file]);
    expect(r.status, r.stderr).toBe(0);
    const text = r.stdout;
    expect(text).toMatch(/^alpha-web <-> beta-db +0\/0\/0 +0\/0\/0 +0% +- +2\/2\/0 +3\/3\/0 +0% /m);
    expect(text).toMatch(/^alpha-web <-> fd42:b7::99 +0\/0\/0 +0\/0\/0 +0% +- +3\/0\/3 /m);
  });
});
