import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Analyzer, type AnalysisReport } from '../../src/analyze/index.js';
import { FrameDecoder } from '../../src/decode/index.js';
import { LAB_LABEL, LAB_LABEL_VALUE } from '../../src/docker/lab.js';
import { capture, expectSequence, type RecordedFrames } from '../../src/index.js';
import { TextFormatter } from '../../src/present/text-line.js';
import { ensureTestImage, labExec, runLabContainer, seedLabDown } from '../lab/docker-lab.js';
import { describeLive } from '../support/live.js';

/**
 * A dual-stack network of this test's own (a ULA and an IPv4 subnet no other test uses), two
 * containers with cold neighbour caches, `ping -6` from one to the other: Neighbor Discovery then
 * echo, named from Docker, paired with RTTs and asserted; an address nobody owns stays unanswered.
 */
const NET = 'bs-dual6';
const BRIDGE = 'br-bsdual6';
const ALPHA = 'bs6-alpha';
const BETA = 'bs6-beta';
const NOBODY = 'fd42:b5::99';

function ipv6Of(container: string): string {
  return execFileSync('docker', ['inspect', '-f', `{{(index .NetworkSettings.Networks "${NET}").GlobalIPv6Address}}`, container], { encoding: 'utf8' }).trim();
}

function flushNeighbours6(container: string): void {
  const pid = execFileSync('docker', ['inspect', '-f', '{{.State.Pid}}', container], { encoding: 'utf8' }).trim();
  execFileSync('nsenter', ['-t', pid, '-n', 'ip', '-6', 'neigh', 'flush', 'all'], { stdio: 'ignore' });
}

describeLive('IPv6 on a dual-stack Docker bridge', { root: true, docker: true, tools: ['nsenter'] }, () => {
  let rec: RecordedFrames;
  let report: AnalysisReport;
  let lines: string[];
  let alpha6 = '';
  let beta6 = '';

  beforeAll(async () => {
    ensureTestImage();
    await seedLabDown();
    execFileSync('docker', ['network', 'create', '--ipv6', '--subnet', 'fd42:b5::/64', '--gateway', 'fd42:b5::1', '--subnet', '172.27.6.0/24', '--gateway', '172.27.6.1',
      '-o', `com.docker.network.bridge.name=${BRIDGE}`, '--label', `${LAB_LABEL}=${LAB_LABEL_VALUE}`, NET], { stdio: 'ignore' });
    await runLabContainer(ALPHA, { network: NET });
    await runLabContainer(BETA, { network: NET });
    alpha6 = ipv6Of(ALPHA);
    beta6 = ipv6Of(BETA);
    // DAD and router solicitations of the new interfaces settle before the capture starts.
    await new Promise((r) => setTimeout(r, 2500));
    flushNeighbours6(ALPHA);
    flushNeighbours6(BETA);
    const cap = await capture(BRIDGE, { filter: 'icmp6' });
    try {
      labExec(ALPHA, ['ping', '-6', '-c', '3', '-i', '0.2', beta6]);
      try {
        labExec(ALPHA, ['ping', '-6', '-c', '1', '-W', '2', NOBODY]);
      } catch {
        // No answer is the point.
      }
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      rec = await cap.stop();
    }
    const dec = new FrameDecoder();
    const an = new Analyzer({ resolver: rec.resolver });
    const text = new TextFormatter({ resolver: rec.resolver });
    lines = [];
    rec.frames.forEach((fr, i) => {
      const f = dec.decode(fr.bytes, fr.linkType, fr.origLen);
      lines.push(text.line(f, fr.tsSec, fr.tsNsec));
      an.observe(f, i + 1, fr.tsSec, fr.tsNsec);
    });
    report = an.finish({ pendingAsUnanswered: true });
  }, 60_000);
  afterAll(async () => {
    await seedLabDown();
  });

  it('names the containers by their IPv6 addresses in NDP and echo lines', () => {
    expect(alpha6).toMatch(/^fd42:b5::/);
    const all = lines.join('\n');
    expect(all).toContain(`NDP who-has ${beta6} (${BETA}) tell ${alpha6} (${ALPHA})`);
    expect(all).toMatch(new RegExp(`${BETA} > ${ALPHA}  NDP ${beta6.replace(/\./g, '\\.')} \\(${BETA}\\) is-at 02:42:[0-9a-f:]+ \\(solicited, override\\)`));
    expect(all).toContain(`${ALPHA} > ${BETA}  ICMPv6 echo request, id `);
    expect(all).toContain(`${BETA} > ${ALPHA}  ICMPv6 echo reply, id `);
  });

  it('pairs the solicitation with its advertisement and each echo with its reply', () => {
    const pair = report.pairs.find((p) => [p.a, p.b].includes(ALPHA) && [p.a, p.b].includes(BETA))!;
    expect(pair.ndp!.replies).toBeGreaterThanOrEqual(1);
    expect(pair.ndp!.latency.count).toBeGreaterThanOrEqual(1);
    expect(pair.icmp6).toMatchObject({ requests: 3, replies: 3, lost: 0 });
    expect(pair.icmp6!.rtt.maxNs).toBeGreaterThan(0);
    const unanswered = report.findings.filter((f) => f.kind === 'ndp-unanswered');
    expect(unanswered.map((f) => f.dst)).toContain(NOBODY);
    expect(unanswered.find((f) => f.dst === NOBODY)!.src).toBe(ALPHA);
  });

  it('meets the dual-stack sequence in the expectation language', async () => {
    const r = await expectSequence(rec, `
ndp solicit ${ALPHA} -> ${BETA}
then ndp advert ${BETA} -> ${ALPHA} within 100ms
any order
  icmp6 echo-request ${ALPHA} -> ${BETA} x3
  icmp6 echo-reply ${BETA} -> ${ALPHA} x3
end
ndp solicit ${ALPHA} -> ${NOBODY}
no ndp advert from ${NOBODY}
no icmp echo-request
`);
    expect(r.ok).toBe(true);
  });
});
