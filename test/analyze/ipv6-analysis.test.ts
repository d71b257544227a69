import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linkLocalOf } from '../../src/annotate/address.js';
import { TopologyResolver } from '../../src/annotate/topology-resolver.js';
import { Analyzer } from '../../src/analyze/index.js';
import { FrameDecoder } from '../../src/decode/index.js';
import { openCaptureFile } from '../../src/pcap/open.js';
import { formatSummary } from '../../src/present/summary-table.js';
import { corpusDir, itCorpus } from '../support/corpus.js';
import { MAC_A, MAC_B, echo6, ipv6Datagram, ipv6Frame, neighborAdvertisement, neighborSolicitation, solicitedNode } from '../decode/ipv6-frames.js';

const A = 'fd42:b5::2';
const B = 'fd42:b5::3';
const mac = (m: number[]) => m.map((x) => x.toString(16).padStart(2, '0')).join(':');
const resolver = new TopologyResolver({
  version: 2, capturedAt: '', interfaces: [], bridges: [], networks: [], containers: [], routes: [],
  endpoints: [
    { containerId: 'a1', container: 'alpha-web', network: 'dual', networkId: 'n1', mac: mac(MAC_A), ipv4: '172.28.5.2', ipv6: [A, linkLocalOf(mac(MAC_A))] },
    { containerId: 'b1', container: 'beta-db', network: 'dual', networkId: 'n1', mac: mac(MAC_B), ipv4: '172.28.5.3', ipv6: [B, linkLocalOf(mac(MAC_B))] },
  ],
});

/** Frames at t0 + ms milliseconds, analysed in order. */
function analyse(frames: [number, Uint8Array][], opts = {}) {
  const dec = new FrameDecoder();
  const an = new Analyzer({ resolver, ...opts });
  frames.forEach(([ms, bytes], i) => an.observe(dec.decode(bytes, 1), i + 1, 1_700_000_000 + Math.floor(ms / 1000), (ms % 1000) * 1e6));
  return { an, report: an.finish({ pendingAsUnanswered: true }) };
}

const ns = (from: string, target: string, m = MAC_A) => ipv6Frame({ src: from, dst: solicitedNode(target), next: 58, payload: neighborSolicitation(target, m), srcMac: m });
const na = (target: string, to: string, m: number[], flags = 0x60) => ipv6Frame({ src: target, dst: to, next: 58, payload: neighborAdvertisement(target, flags, m), srcMac: m });
const ping = (from: string, to: string, type: 128 | 129, seq: number) => ipv6Frame({ src: from, dst: to, next: 58, payload: echo6(type, 6, seq), hopLimit: 64 });

describe('IPv6 analysis', () => {
  it('pairs NS with NA and echo request with reply, with RTTs, by container', () => {
    const { an, report } = analyse([[0, ns(A, B)], [2, na(B, A, MAC_B)], [3, ping(A, B, 128, 0)], [4, ping(B, A, 129, 0)], [1003, ping(A, B, 128, 1)], [1005, ping(B, A, 129, 1)]]);
    expect(report.findings).toEqual([]);
    expect(report.pairs).toHaveLength(1);
    const p = report.pairs[0];
    expect([p.a, p.b]).toEqual(['alpha-web', 'beta-db']);
    expect(p.ndp).toMatchObject({ requests: 1, replies: 1, unanswered: 0 });
    expect(p.ndp!.latency.minNs).toBe(2e6);
    expect(p.icmp6).toMatchObject({ requests: 2, replies: 2, lost: 0, loss: 0 });
    expect(p.icmp6!.rtt.maxNs).toBe(2e6);
    expect(an.annotation(2)?.transaction).toMatchObject({ kind: 'ndp', state: 'answered', srcLabel: 'alpha-web', dstLabel: 'beta-db', rttNs: 2e6, answerMac: 0x0242ac1c0503 });
    expect(an.annotation(4)?.transaction).toMatchObject({ kind: 'echo6', identifier: 6, sequence: 0, rttNs: 1e6 });
    expect(an.replyRttNs(6)).toBe(2e6);
    const text = formatSummary(report);
    expect(text).toContain('ndp req/rep/unans');
    expect(text).toMatch(/alpha-web <-> beta-db\s+0\/0\/0\s+0\/0\/0\s+0%\s+-\s+1\/1\/0\s+2\/2\/0/);
  });

  it('reports an unanswered solicitation (retries counted) and a lost echo', () => {
    const nobody = 'fd42:b5::99';
    const { report } = analyse([[0, ns(A, nobody)], [900, ns(A, nobody)], [2000, ping(A, B, 128, 0)]]);
    const unanswered = report.findings.find((f) => f.kind === 'ndp-unanswered')!;
    expect(unanswered.text).toBe('alpha-web solicited fd42:b5::99: no advertisement within 1000 ms (asked 2 times)');
    expect(unanswered.frames).toEqual([1]);
    expect(report.findings.map((f) => f.kind)).toContain('echo6-unanswered');
  });

  it('knows a DAD probe, a conflict with it, a duplicate address and an unsolicited advertisement', () => {
    const dad = ipv6Frame({ src: '::', dst: solicitedNode(B), next: 58, payload: neighborSolicitation(B), srcMac: MAC_A });
    const intruder = [0x02, 0x42, 0xac, 0x1c, 0x05, 0x99];
    const { report } = analyse([[0, dad], [1, na(B, 'ff02::1', MAC_B, 0x20)], [5, na(A, 'ff02::1', MAC_A, 0x20)], [6, na(A, 'ff02::1', intruder, 0x20)]]);
    const kinds = report.findings.map((f) => f.kind);
    expect(kinds).toEqual(['ndp-dad-probe', 'ndp-duplicate-address', 'ndp-unsolicited-advert', 'ndp-duplicate-address']);
    expect(report.findings[1].text).toBe('beta-db probed in frame 1 is already held by 02:42:ac:1c:05:03 (beta-db)');
    expect(report.findings[3].text).toBe('alpha-web advertised by two MACs: 02:42:ac:1c:05:02 (alpha-web) and 02:42:ac:1c:05:99');
  });

  it('ties an ICMPv6 error to the echo request it quotes', () => {
    const request = ipv6Datagram({ src: A, dst: B, next: 58, payload: echo6(128, 6, 0), hopLimit: 64 });
    const unreach = ipv6Frame({ src: 'fd42:b5::1', dst: A, next: 58, payload: [1, 3, 0, 0, 0, 0, 0, 0, ...request] });
    const { an, report } = analyse([[0, ping(A, B, 128, 0)], [1500, unreach]]);
    const err = report.findings.find((f) => f.kind === 'icmp6-unreachable')!;
    expect(err.requestFrame).toBe(1);
    expect(err.text).toContain('destination unreachable (address unreachable) for alpha-web > beta-db ICMPv6 echo request id 6 seq 0 (frame 1)');
    expect(an.annotation(2)?.role).toBe('error');
    expect(report.pairs[0].icmp6).toMatchObject({ lost: 0, errors: 1 });
  });

  itCorpus('pairs the corpus neighbour solicitation and its pings', async () => {
    const dec = new FrameDecoder();
    const an = new Analyzer();
    let n = 0;
    for await (const b of openCaptureFile(join(corpusDir, 'csanders__icmpv6_neighbor_solicitation.pcapng'))) {
      for (let i = 0; i < b.count; i++) an.observe(dec.decodeFrame(b, i), ++n, b.tsSec[i], b.tsNsec[i]);
    }
    const report = an.finish({ pendingAsUnanswered: true });
    // tshark: frame 2 answers frame 1; replies 5 and 7 answer requests 4 and 6; reply 3's request was not captured.
    expect(an.annotation(2)?.transaction.requestFrame).toBe(1);
    expect(an.annotation(5)?.transaction.requestFrame).toBe(4);
    expect(an.annotation(7)?.transaction.requestFrame).toBe(6);
    expect(report.findings.map((f) => [f.kind, f.frames[0]])).toEqual([['echo6-reply-without-request', 3]]);
  });
});
