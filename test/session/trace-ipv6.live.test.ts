import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runTrace, type TraceResult } from '../../src/index.js';
import { seedLabDown } from '../lab/docker-lab.js';
import { runCli } from '../cli/run-cli.js';
import { describeLive } from '../support/live.js';
import { docker, ensureTestImage, hostVeth, withFault } from './trace-lab.js';
import { TEST_IMAGE } from '../lab/docker-lab.js';
import { LAB_LABEL, LAB_LABEL_VALUE } from '../../src/docker/lab.js';

/**
 * `trace -6` on a dual-stack network of this test's own (fd42:b6::/64 and 172.27.7.0/24, which no
 * other test uses): a cold ping -6 met with NDP then echo6 on every hop, and real faults placed on
 * their segment with the host's reason: an ip6tables physdev rule on the bridge, an address nobody
 * owns, a container whose IPv6 is off although Docker recorded an address for it.
 */
const NET = 'bs-trace6';
const BRIDGE = 'br-bstrace6';
const A = 't6-alpha';
const B = 't6-beta';
const MUTE = 't6-mute';
const V4 = 't6-v4only';
const label = ['--label', `${LAB_LABEL}=${LAB_LABEL_VALUE}`];
const quick = { count: 2, interval: 0.2, timeout: 1 };
const codes = (r: TraceResult) => r.reasons.map((x) => x.code);
const why = (r: TraceResult) => `${r.verdict.summary}\n${r.reasons.map((x) => x.text).join('\n')}\n${r.verdict.evidence.join('\n')}`;
const frameLines = (stdout: string) => stdout.split('\n').filter((l) => /^\d\d:\d\d:\d\d\.\d{6} \S+ {2}/.test(l));
const ipv6Of = (c: string) => docker('inspect', '-f', `{{(index .NetworkSettings.Networks "${NET}").GlobalIPv6Address}}`, c);
const start = (name: string, net: string, extra: string[] = []) => docker('run', '-d', ...label, '--name', name, '--network', net, ...extra, TEST_IMAGE, 'sleep', '1000000');

describeLive('trace -6 over a dual-stack Docker network', { root: true, docker: true, tools: ['nsenter', 'ip6tables', 'ip6tables-save', 'ping'] }, () => {
  let vethB: string;
  let beta6: string;
  let macB: string;

  beforeAll(async () => {
    await seedLabDown();
    ensureTestImage();
    docker('network', 'create', ...label, '--ipv6', '--subnet', 'fd42:b6::/64', '--gateway', 'fd42:b6::1', '--subnet', '172.27.7.0/24', '--gateway', '172.27.7.1', '-o', `com.docker.network.bridge.name=${BRIDGE}`, NET);
    docker('network', 'create', ...label, '--subnet', '172.27.8.0/24', 'bs-trace6-v4');
    start(A, NET);
    start(B, NET);
    start(MUTE, NET, ['--sysctl', 'net.ipv6.conf.all.disable_ipv6=1']);
    start(V4, 'bs-trace6-v4');
    vethB = hostVeth(B);
    beta6 = ipv6Of(B);
    macB = docker('inspect', '-f', `{{(index .NetworkSettings.Networks "${NET}").MacAddress}}`, B);
    // DAD of the new interfaces settles before the first trace.
    await new Promise((r) => setTimeout(r, 2000));
  }, 60_000);
  afterAll(async () => {
    await seedLabDown();
  });

  it('trace -6 A B --cold: every hop shows NDP who-has, is-at, then echo6, named; the table counts them; met, exit 0', () => {
    const r = runCli(['trace', '-6', A, B, '-c', '3', '--cold']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const lines = frameLines(r.stdout);
    const ifaces = [...new Set(lines.map((l) => l.split(' ')[1]))];
    expect(ifaces).toHaveLength(3);
    expect(ifaces).toContain(BRIDGE);
    for (const iface of ifaces) {
      // A container started moments before still sends router solicitations and MLD reports of its own.
      const own = lines
        .filter((l) => l.split(' ')[1] === iface)
        .map((l) => l.slice(l.indexOf('  ') + 2))
        .filter((l) => !l.includes('NDP router solicitation') && !l.includes('MLD'));
      expect(own[0]).toBe(`${A} > ff02::1:ff00:3  NDP who-has ${beta6} (${B}) tell fd42:b6::2 (${A})`);
      expect(own[1]).toBe(`${B} > ${A}  NDP ${beta6} (${B}) is-at ${macB} (solicited, override)`);
      const echoes = own.filter((l) => l.includes('ICMPv6 echo'));
      expect(echoes).toHaveLength(6);
      for (const l of echoes) expect(l).toMatch(new RegExp(`^(${A} > ${B} {2}ICMPv6 echo request|${B} > ${A} {2}ICMPv6 echo reply), id \\d+, seq \\d$`));
    }
    expect(r.stdout).toMatch(/^ {2}hop +NDP who-has +NDP is-at +echo req +echo reply +ICMPv6 err$/m);
    expect(r.stdout).toMatch(new RegExp(`^ {2}${B}'s ${vethB} +1 @[\\d.]+ +1 @[\\d.]+ +3 @[\\d.]+ +3 @[\\d.]+ +-$`, 'm'));
    expect(r.stdout).toContain(`verdict: met (${A} -> ${B})`);
  });

  it('an IPv6 address as B implies -6; --json carries the family and NDP counts per hop', () => {
    const r = runCli(['trace', A, beta6, '-c', '2', '--json', '--cold']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { family: number; to: string; met: boolean; hops: Array<{ ndpSolicits: { count: number }; ndpAdverts: { count: number }; echoReplies: { count: number } }> };
    expect([j.family, j.to, j.met]).toEqual([6, B, true]);
    expect(j.hops.map((h) => [h.ndpSolicits.count, h.ndpAdverts.count, h.echoReplies.count])).toEqual([[1, 1, 2], [1, 1, 2], [1, 1, 2]]);
  });

  it('an ip6tables -m physdev DROP on B’s port: requests stop between the bridge and B’s veth, the rule’s counter named', async () => {
    const rule = ['FORWARD', '-m', 'physdev', '--physdev-out', vethB, '-p', 'ipv6-icmp', '--icmpv6-type', 'echo-request', '-j', 'DROP'];
    const r = await withFault(['ip6tables', '-I', ...rule], ['ip6tables', '-D', ...rule], () => runTrace({ from: A, to: B, ipv6: true, ...quick }));
    expect(r.met).toBe(false);
    expect(r.verdict.segment, why(r)).toEqual({ packets: 'echo requests', from: `${BRIDGE} (${NET})`, to: `${B}'s ${vethB}` });
    expect(codes(r), why(r)).toContain('firewall-rule');
    const text = r.reasons.find((x) => x.code === 'firewall-rule')!.text;
    expect(text).toMatch(new RegExp(`^ip6tables filter FORWARD rule 1 \`-A FORWARD -p ipv6-icmp -m physdev --physdev-out ${vethB} -m icmp6 --icmpv6-type 128 -j DROP\` counted 2 packets during the trace \\(\\d+ -> \\d+\\), matching the echo request$`));
  });

  it('an ip6tables rule taking all ICMPv6 to B: the neighbor solicitations stop there, before any echo', async () => {
    const rule = ['FORWARD', '-m', 'physdev', '--physdev-out', vethB, '-p', 'ipv6-icmp', '-j', 'DROP'];
    const r = await withFault(['ip6tables', '-I', ...rule], ['ip6tables', '-D', ...rule], () => runTrace({ from: A, to: B, ipv6: true, cold: true, ...quick }));
    expect(r.met).toBe(false);
    expect(r.verdict.summary, why(r)).toMatch(/^NDP who-has fd42:b6::3 \(tell fd42:b6::2\) was never answered: neighbor solicitations left/);
    expect(r.verdict.segment?.packets).toBe('neighbor solicitations');
    expect(r.reasons.find((x) => x.code === 'firewall-rule')?.text, why(r)).toMatch(/matching the echo request and neighbor solicitation$/);
  });

  it('an address nobody owns: the NDP who-has is never answered, and the plan says nobody owns it', async () => {
    const r = await runTrace({ from: A, to: 'fd42:b6::99', ...quick });
    expect(r.met).toBe(false);
    expect(r.verdict.summary, why(r)).toBe(`NDP who-has fd42:b6::99 (tell fd42:b6::2) was never answered: no container owns fd42:b6::99 on ${NET}`);
    expect(r.hops[0].arpRequests.count).toBeGreaterThan(0);
    expect(r.hops[0].arpReplies.count).toBe(0);
    expect(codes(r)).toContain('no-owner');
  });

  it('a container whose IPv6 is off: Docker recorded an address, its namespace holds none, the NS reaches its veth unanswered', async () => {
    const mute6 = ipv6Of(MUTE);
    expect(mute6).toMatch(/^fd42:b6::/);
    const r = await runTrace({ from: A, to: MUTE, ipv6: true, cold: true, ...quick });
    expect(r.met).toBe(false);
    expect(r.verdict.segment, why(r)).toEqual({ packets: 'neighbor solicitations', from: `${MUTE}'s ${hostVeth(MUTE)}`, to: MUTE });
    const reason = r.reasons.find((x) => x.code === 'no-address');
    expect(reason?.text, why(r)).toBe(
      `Docker gave ${MUTE} ${mute6}, but ${MUTE}'s namespace does not hold it: ip -6 addr there lists no IPv6 address (IPv6 is disabled there: net.ipv6.conf.all.disable_ipv6=1), so nothing answers for ${mute6}`,
    );
  });

  it('a target on an IPv4-only network: NOT met before any packet, exit 1, the network named', () => {
    const r = runCli(['trace', '-6', A, V4]);
    expect(r.status).toBe(1);
    expect(frameLines(r.stdout)).toEqual([]);
    expect(r.stdout).toContain(`  - ${V4} has no IPv6 address on a bridge network (bs-trace6-v4 is not dual-stack (docker network create --ipv6))`);
  });

  it('gateway: the network’s IPv6 gateway answers on the bridge', async () => {
    const r = await runTrace({ from: A, to: 'gateway', ipv6: true, cold: true, ...quick });
    expect(r.met, why(r)).toBe(true);
    expect(r.plan.toIp).toBe('fd42:b6::1');
    expect(r.hops.map((h) => h.echoReplies.count)).toEqual([2, 2]);
  });

  it('host: the host answers on its global IPv6 address, as IPv4 `trace A host` does; met, exit 0', () => {
    // The host's global IPv6 addresses off Docker's bridges, as the kernel lists them.
    const listed = JSON.parse(execFileSync('ip', ['-j', '-6', 'addr', 'show', 'scope', 'global'], { encoding: 'utf8' })) as Array<{ ifname: string; addr_info: Array<{ local: string }> }>;
    const hostAddrs = listed.filter((l) => !l.ifname.startsWith('br-') && l.ifname !== 'docker0').flatMap((l) => l.addr_info.map((a) => a.local));
    expect(hostAddrs.length, 'this host has no global IPv6 address to trace to').toBeGreaterThan(0);
    const r = runCli(['trace', '-6', A, 'host', '-c', '2', '--json']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { family: number; toKind: string; toIp: string; path: string; met: boolean; hops: Array<{ echoRequests: { count: number }; echoReplies: { count: number } }> };
    expect([j.family, j.toKind, j.met]).toEqual([6, 'host', true]);
    expect(hostAddrs).toContain(j.toIp);
    expect(j.path).toBe(`${A} pings the host at ${j.toIp}, through its IPv6 gateway on ${BRIDGE}`);
    // A's veth and the bridge see both echoes each way: the host answered from behind the gateway.
    expect(j.hops.map((h) => [h.echoRequests.count, h.echoReplies.count])).toEqual([[2, 2], [2, 2]]);
  });
});
