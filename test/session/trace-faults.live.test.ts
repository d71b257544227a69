import { afterAll, beforeAll, expect, it } from 'vitest';
import { runTrace, type TraceResult } from '../../src/index.js';
import { seedLabDown } from '../lab/docker-lab.js';
import { runCli } from '../cli/run-cli.js';
import { describeLive } from '../support/live.js';
import { container, docker, ensureNoPingImage, ensureTestImage, hostVeth, network, NOPING_IMAGE, pidOf, withFault } from './trace-lab.js';

const quick = { count: 2, interval: 0.2, timeout: 1 };
const codes = (r: TraceResult) => r.reasons.map((x) => x.code);
const why = (r: TraceResult) => `${r.verdict.summary}\n${r.reasons.map((x) => x.text).join('\n')}\n${r.verdict.evidence.join('\n')}`;

describeLive('trace places each real fault on its segment, with the host’s reason', { root: true, docker: true, tools: ['nsenter', 'iptables-save', 'ping'] }, () => {
  let br1: string;
  let vethA: string;
  let vethB: string;

  beforeAll(async () => {
    await seedLabDown();
    ensureTestImage();
    ensureNoPingImage();
    network('trace-n1', '172.31.60.0/24');
    network('trace-n2', '172.31.61.0/24');
    network('trace-noicc', '172.31.62.0/24', ['-o', 'com.docker.network.bridge.enable_icc=false']);
    container('tr-a', 'trace-n1', '172.31.60.10');
    container('tr-b', 'trace-n1', '172.31.60.11');
    container('tr-c', 'trace-n1', '172.31.60.12');
    container('tr-noping', 'trace-n1', '172.31.60.13', NOPING_IMAGE);
    container('tr-stop', 'trace-n1', '172.31.60.14');
    docker('stop', '-t', '0', 'tr-stop');
    container('tr-side', 'container:tr-a', undefined);
    container('tr-d', 'trace-n2', '172.31.61.10');
    container('tr-e', 'trace-noicc', '172.31.62.10');
    container('tr-f', 'trace-noicc', '172.31.62.11');
    br1 = `br-${docker('network', 'inspect', '-f', '{{.Id}}', 'trace-n1').slice(0, 12)}`;
    vethA = hostVeth('tr-a');
    vethB = hostVeth('tr-b');
  });
  afterAll(async () => {
    await seedLabDown();
  });

  it('--cold: every hop sees ARP who-has and is-at before the first echo request, and the verdict is met', async () => {
    const r = await runTrace({ from: 'tr-a', to: 'tr-b', cold: true, ...quick });
    expect(r.met, why(r)).toBe(true);
    expect(r.ping?.via).toBe('netns');
    expect(r.hops.map((h) => h.hop.interface)).toEqual([vethA, br1, vethB]);
    for (const h of r.hops) {
      expect(h.arpRequests.count, h.hop.label).toBeGreaterThanOrEqual(1);
      expect(h.arpReplies.count, h.hop.label).toBeGreaterThanOrEqual(1);
      expect(h.arpReplies.firstMs!).toBeLessThanOrEqual(h.echoRequests.firstMs!);
      expect(h.echoRequests.count).toBe(2);
      expect(h.echoReplies.count).toBe(2);
    }
    expect(r.reasons).toEqual([]);
  });

  it('the CLI prints every hop’s copy with its interface, the hop table and the verdict (exit 0)', () => {
    const c = runCli(['trace', 'tr-a', 'tr-b', '-c', '2', '-i', '0.2', '--cold', '-s', '100']);
    expect(c.status, c.stderr + c.stdout).toBe(0);
    const lines = c.stdout.split('\n');
    const first = lines.findIndex((l) => l.includes('ARP who-has 172.31.60.11'));
    const echo = lines.findIndex((l) => l.includes('ICMP echo request'));
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(echo);
    for (const iface of [vethA, br1, vethB]) expect(c.stdout).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{6} ${iface}  tr-a \\(\\+tr-side\\) > tr-b  ICMP echo request`, 'm'));
    expect(c.stdout).toMatch(new RegExp(`^  tr-b's ${vethB} +1 @[\\d.]+ +1 @[\\d.]+ +2 @[\\d.]+ +2 @[\\d.]+ +-$`, 'm'));
    expect(c.stdout).toContain('verdict: met (tr-a -> tr-b)');
  });

  it('two isolated networks: requests cross the first bridge, none reach the second; the DOCKER-ISOLATION rule counted them', async () => {
    const br2 = `br-${docker('network', 'inspect', '-f', '{{.Id}}', 'trace-n2').slice(0, 12)}`;
    const r = await runTrace({ from: 'tr-a', to: 'tr-d', ...quick });
    expect(r.met).toBe(false);
    expect(r.hops.map((h) => h.hop.interface)).toEqual([vethA, br1, br2, hostVeth('tr-d')]);
    expect(r.verdict.segment, why(r)).toEqual({ packets: 'echo requests', from: `${br1} (trace-n1)`, to: `${br2} (trace-n2)` });
    expect(r.verdict.summary).toContain(`echo requests left tr-a (${vethA}) and crossed ${br1}, none reached ${br2} (trace-n2)`);
    const iso = r.reasons.find((x) => x.code === 'isolation');
    expect(iso?.text, why(r)).toMatch(new RegExp(`Docker isolates trace-n1 from trace-n2: filter DOCKER-ISOLATION-STAGE-2 rule \\d+ \`-A DOCKER-ISOLATION-STAGE-2 -o ${br2} -j DROP\` counted 2 packets`));
  });

  it('enable_icc=false: requests cross the bridge, none reach B’s veth; the network option and its FORWARD rule are named', async () => {
    const brIcc = `br-${docker('network', 'inspect', '-f', '{{.Id}}', 'trace-noicc').slice(0, 12)}`;
    const r = await runTrace({ from: 'tr-e', to: 'tr-f', ...quick });
    expect(r.met).toBe(false);
    expect(r.verdict.segment, why(r)).toEqual({ packets: 'echo requests', from: `${brIcc} (trace-noicc)`, to: `tr-f's ${hostVeth('tr-f')}` });
    const icc = r.reasons.find((x) => x.code === 'icc-disabled');
    expect(icc?.text, why(r)).toMatch(new RegExp(`trace-noicc has com.docker.network.bridge.enable_icc=false: filter FORWARD rule \\d+ \`-A FORWARD -i ${brIcc} -o ${brIcc} -j DROP\` counted 2 packets`));
  });

  it('a DROP rule in DOCKER-USER for B’s address: dropped between the bridge and B, the rule and its counter named', async () => {
    const rule = ['DOCKER-USER', '-d', '172.31.60.11/32', '-p', 'icmp', '-j', 'DROP'];
    const r = await withFault(['iptables', '-I', ...rule], ['iptables', '-D', ...rule], () => runTrace({ from: 'tr-a', to: 'tr-b', ...quick }));
    expect(r.met).toBe(false);
    expect(r.verdict.segment, why(r)).toEqual({ packets: 'echo requests', from: `${br1} (trace-n1)`, to: `tr-b's ${vethB}` });
    expect(r.verdict.summary).toContain(`none reached tr-b's ${vethB}: dropped between ${br1} (trace-n1) and tr-b's ${vethB}`);
    const hit = r.reasons.find((x) => x.code === 'docker-user-rule');
    expect(hit?.text, why(r)).toMatch(/^filter DOCKER-USER rule 1 `-A DOCKER-USER -d 172\.31\.60\.11\/32 -p icmp -j DROP` counted 2 packets during the trace \(\d+ -> \d+\), matching the echo request$/);
  });

  it('a physdev-out DROP in FORWARD for B’s veth: the same segment, that rule named', async () => {
    const rule = ['FORWARD', '-m', 'physdev', '--physdev-out', vethB, '-j', 'DROP'];
    const r = await withFault(['iptables', '-I', ...rule], ['iptables', '-D', ...rule], () => runTrace({ from: 'tr-a', to: 'tr-b', ...quick }));
    expect(r.met).toBe(false);
    expect(r.verdict.segment, why(r)).toEqual({ packets: 'echo requests', from: `${br1} (trace-n1)`, to: `tr-b's ${vethB}` });
    const hit = r.reasons.find((x) => x.code === 'firewall-rule');
    expect(hit?.text, why(r)).toMatch(new RegExp(`^filter FORWARD rule 1 \`-A FORWARD -m physdev --physdev-out ${vethB} -j DROP\` counted 2 packets`));
    expect(codes(r)).not.toContain('docker-user-rule');
  });

  it('B’s host veth set down: nothing reaches it, and its link state is the reason', async () => {
    const r = await withFault(['ip', 'link', 'set', vethB, 'down'], ['ip', 'link', 'set', vethB, 'up'], () => runTrace({ from: 'tr-a', to: 'tr-b', ...quick }));
    expect(r.met).toBe(false);
    expect(r.verdict.segment?.from, why(r)).toBe(`${br1} (trace-n1)`);
    expect(r.verdict.segment?.to).toBe(`tr-b's ${vethB}`);
    expect(r.reasons.find((x) => x.code === 'link-down')?.text).toMatch(new RegExp(`^tr-b's ${vethB} is down \\(operstate down, administratively down\\)`));
  });

  it('B stopped: not met before any packet, the container state is the reason', async () => {
    const r = await runTrace({ from: 'tr-a', to: 'tr-stop', ...quick });
    expect(r.met).toBe(false);
    expect(r.frames).toEqual([]);
    expect(r.verdict.segment).toBeUndefined();
    expect(r.reasons).toEqual([{ code: 'not-running', text: 'tr-stop is not running (exited), so it has no address to answer on' }]);
  });

  it('B’s address taken over by a third container: the answering MAC is named as the other container’s', async () => {
    const pid = pidOf('tr-c');
    const macC = docker('inspect', '-f', '{{(index .NetworkSettings.Networks "trace-n1").MacAddress}}', 'tr-c');
    const add = ['nsenter', '-t', pid, '-n', 'ip', 'addr', 'add', '172.31.60.11/32', 'dev', 'eth0'];
    const del = ['nsenter', '-t', pid, '-n', 'ip', 'addr', 'del', '172.31.60.11/32', 'dev', 'eth0'];
    // Undone with A's neighbour entry, which would keep tr-c's MAC for tr-b's address.
    const forget = ['sh', '-c', `${del.join(' ')} && nsenter -t ${pidOf('tr-a')} -n ip neigh flush to 172.31.60.11`];
    const r = await withFault(add, forget, () => runTrace({ from: 'tr-a', to: 'tr-b', cold: true, ...quick }));
    expect(r.met, why(r)).toBe(false);
    expect(r.hops[0].answeringMacs).toContain(macC);
    expect(r.verdict.segment).toEqual({ packets: 'ARP replies', from: `tr-c (${macC})`, to: `tr-a's ${vethA}` });
    expect(r.reasons.find((x) => x.code === 'mac-mismatch')?.text).toContain(`172.31.60.11 was answered from ${macC}, tr-c's (Docker gave it 172.31.60.12 on trace-n1)`);
  });

  it('a sidecar pair: traced over loopback and said so, met, no bridge traffic expected', async () => {
    const r = await runTrace({ from: 'tr-side', to: 'tr-a', ...quick });
    expect(r.met, why(r)).toBe(true);
    expect(r.plan.loopback).toBe(true);
    expect(r.hops).toEqual([]);
    expect(r.verdict.summary).toBe('tr-side and tr-a share one network namespace: 2 of 2 echo replies came back over loopback; no bridge traffic expected');
  });

  it('an image without ping: the host’s ping in its namespace works; its own ping through exec says why not', async () => {
    const r = await runTrace({ from: 'tr-noping', to: 'tr-b', ...quick });
    expect(r.met, why(r)).toBe(true);
    expect(r.ping?.via).toBe('netns');
    const e = await runTrace({ from: 'tr-noping', to: 'tr-b', via: 'exec', ...quick });
    expect(e.met).toBe(false);
    expect(e.verdict.segment).toEqual({ packets: 'echo requests', from: 'tr-noping', to: `tr-noping's ${hostVeth('tr-noping')}` });
    expect(e.reasons.find((x) => x.code === 'ping-failed')?.text).toMatch(/^tr-noping's image has no ping/);
  });

  it('an address nobody owns: ARP who-has is never answered, and no container owns it on the network', async () => {
    const r = await runTrace({ from: 'tr-a', to: '172.31.60.99', cold: true, ...quick });
    expect(r.met).toBe(false);
    expect(r.verdict.summary, why(r)).toBe('ARP who-has 172.31.60.99 (tell 172.31.60.10) was never answered: no container owns 172.31.60.99 on trace-n1');
    expect(r.verdict.segment).toEqual({ packets: 'ARP requests', from: `${br1} (trace-n1)`, to: '172.31.60.99' });
    expect(r.hops[0].arpRequests.count).toBeGreaterThanOrEqual(1);
    expect(codes(r)).toContain('no-owner');
  });

  it('targets by IP, gateway and host; --json carries verdict, hops, reasons and evidence', async () => {
    const ip = await runTrace({ from: 'tr-a', to: '172.31.60.11', ...quick });
    expect(ip.met, why(ip)).toBe(true);
    expect(ip.plan.toName).toBe('tr-b');
    const gw = await runTrace({ from: 'tr-a', to: 'gateway', ...quick });
    expect(gw.met, why(gw)).toBe(true);
    expect(gw.plan.toIp).toBe('172.31.60.1');
    expect(gw.hops.map((h) => h.hop.interface)).toEqual([vethA, br1]);
    const host = await runTrace({ from: 'tr-a', to: 'host', ...quick });
    expect(host.met, why(host)).toBe(true);
    expect(host.plan.toKind).toBe('host');
    const j = runCli(['trace', 'tr-a', '172.31.60.99', '-c', '1', '--timeout', '1', '--json']);
    expect(j.status).toBe(1);
    const rec = JSON.parse(j.stdout) as { met: boolean; segment: unknown; hops: Array<{ interface: string }>; reasons: Array<{ code: string }>; evidence: string[] };
    expect(rec.met).toBe(false);
    expect(rec.segment).toEqual({ packets: 'ARP requests', from: `${br1} (trace-n1)`, to: '172.31.60.99' });
    expect(rec.hops.map((h) => h.interface)).toEqual([vethA, br1]);
    expect(rec.reasons.map((x) => x.code)).toContain('no-owner');
    expect(rec.evidence[0]).toMatch(new RegExp(`^tr-a's ${vethA}: ARP [1-9]\\d* who-has`));
  });
});
