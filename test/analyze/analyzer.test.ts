import { describe, expect, it } from 'vitest';
import { Analyzer, analyzeFrames } from '../../src/analyze/index.js';
import type { Finding, Transaction } from '../../src/analyze/index.js';
import { FrameDecoder } from '../../src/decode/index.js';
import { A, B, C, Timeline, arpFrame, echoFrame, icmpErrorFrame, udpFrame } from './build-frames.js';
import { namesFor } from './resolver.js';

const resolver = namesFor({ 'web-bridge-1': A, 'web-bridge-2': B, 'web-default': C });
const kinds = (fs: readonly Finding[]) => fs.map((f) => f.kind);

describe('ARP analysis', () => {
  it('pairs a request with its reply and measures the latency in ns', () => {
    const t = new Timeline().at(0, arpFrame(1, A, { ip: B.ip })).at(0.25, arpFrame(2, B, A));
    const r = analyzeFrames(t.frames, { resolver });
    expect(r.findings).toEqual([]);
    expect(r.pairs).toHaveLength(1);
    const p = r.pairs[0];
    expect([p.a, p.b]).toEqual(['web-bridge-1', 'web-bridge-2']);
    expect(p.arp).toMatchObject({ requests: 1, replies: 1, unanswered: 0 });
    expect(p.arp.latency.minNs).toBe(250_000);
  });

  it('reports an unanswered request on the frame clock, naming both sides', () => {
    const ghost = { ip: '172.30.0.99' };
    // The later frame at 1500 ms is what moves the clock past the 1 s timeout.
    const t = new Timeline().at(0, arpFrame(1, A, ghost)).at(1500, echoFrame(8, A, B, 1, 1));
    const r = analyzeFrames(t.frames, { resolver });
    const f = r.findings.find((x) => x.kind === 'arp-unanswered')!;
    expect(f.frames).toEqual([1]);
    expect(f.text).toBe('web-bridge-1 asked who-has 172.30.0.99: no reply within 1000 ms');
    expect(r.pairs.find((p) => p.b === '172.30.0.99' || p.a === '172.30.0.99')!.arp.unanswered).toBe(1);
  });

  it('does not time out a request younger than the timeout at end of input, unless asked to', () => {
    const t = new Timeline().at(0, arpFrame(1, A, { ip: '172.30.0.99' })).at(400, echoFrame(8, A, B, 1, 1));
    const lenient = analyzeFrames(t.frames, { resolver });
    expect(kinds(lenient.findings)).not.toContain('arp-unanswered');
    expect(lenient.pending.arp).toBe(1);
    const strict = analyzeFrames(t.frames, { resolver, pendingAsUnanswered: true });
    expect(kinds(strict.findings)).toContain('arp-unanswered');
    expect(strict.pending.arp).toBe(0);
  });

  it('fires timeouts the same way whatever the wall clock: a shorter timeout changes the verdict', () => {
    const t = new Timeline().at(0, arpFrame(1, A, { ip: B.ip })).at(300, arpFrame(2, B, A));
    expect(kinds(analyzeFrames(t.frames, { resolver, arpTimeoutMs: 1000 }).findings)).toEqual([]);
    const r = analyzeFrames(t.frames, { resolver, arpTimeoutMs: 200 });
    // Unanswered at 200 ms; the reply at 300 ms still answers it late (latency kept).
    expect(kinds(r.findings)).toEqual(['arp-unanswered']);
    expect(r.pairs[0].arp.unanswered).toBe(0);
    expect(r.pairs[0].arp.latency.maxNs).toBe(300_000_000);
  });

  it('counts kernel retries as repeats of one question', () => {
    const t = new Timeline().at(0, arpFrame(1, A, { ip: B.ip })).at(500, arpFrame(1, A, { ip: B.ip })).at(600, arpFrame(2, B, A));
    const a = new Analyzer({ resolver });
    const dec = new FrameDecoder();
    t.frames.forEach((f, i) => a.observe(dec.decode(f.bytes, 1), i + 1, f.tsSec, f.tsNsec));
    const ann = a.annotation(3)!;
    expect(ann.role).toBe('reply');
    expect(ann.transaction).toMatchObject({ repeats: 1, requestFrame: 1, replyFrame: 3, rttNs: 600_000_000 });
    expect(a.annotation(2)!.role).toBe('repeat');
    expect(a.finish().pairs[0].arp.requests).toBe(2);
  });

  it('names gratuitous ARP, probes, unsolicited replies and duplicate IPs', () => {
    const impostor = { mac: '02:42:de:ad:be:ef', ip: B.ip };
    const t = new Timeline()
      .at(0, arpFrame(1, A, { ip: A.ip }))
      .at(1, arpFrame(1, { mac: C.mac, ip: '0.0.0.0' }, { ip: '172.17.0.9' }))
      .at(2, arpFrame(2, B, A))
      .at(3, arpFrame(2, impostor, A))
      .at(4, arpFrame(2, impostor, A));
    const r = analyzeFrames(t.frames, { resolver });
    expect(kinds(r.findings)).toEqual(['arp-gratuitous', 'arp-probe', 'arp-unsolicited-reply', 'arp-duplicate-ip', 'arp-unsolicited-reply', 'arp-unsolicited-reply']);
    const dup = r.findings.find((f) => f.kind === 'arp-duplicate-ip')!;
    expect(dup.severity).toBe('error');
    expect(dup.frames).toEqual([4]);
    expect(dup.text).toBe('172.30.0.11 claimed by two MACs: 02:42:ac:1e:00:0b (web-bridge-2) and 02:42:de:ad:be:ef');
    expect(r.findings[1].text).toBe('02:42:ac:11:00:02 (web-default) probed whether 172.17.0.9 is in use');
  });

  it('reports a reply to a probe as the address being in use', () => {
    const t = new Timeline()
      .at(0, arpFrame(1, { mac: C.mac, ip: '0.0.0.0' }, { ip: B.ip }))
      .at(1, arpFrame(2, B, { mac: C.mac, ip: '0.0.0.0' }));
    const r = analyzeFrames(t.frames, { resolver });
    expect(kinds(r.findings)).toEqual(['arp-probe', 'arp-duplicate-ip']);
    expect(r.findings[1].text).toContain('already held by 02:42:ac:1e:00:0b (web-bridge-2)');
  });

  it('reports an ARP storm once per episode when a sender exceeds the rate', () => {
    const t = new Timeline();
    for (let i = 0; i < 30; i++) t.at(i * 10, arpFrame(1, A, { ip: `172.30.1.${i}` }));
    const r = analyzeFrames(t.frames, { resolver, arpStormPerSecond: 20, pendingAsUnanswered: false });
    const storms = r.findings.filter((f) => f.kind === 'arp-storm');
    expect(storms).toHaveLength(1);
    expect(storms[0].frames).toEqual([21]);
    expect(kinds(analyzeFrames(t.frames, { resolver, arpStormPerSecond: 30 }).findings)).not.toContain('arp-storm');
  });

  it('reports a MAC seen on a second port once, only when ports are given', () => {
    const t = new Timeline().at(0, echoFrame(8, A, B, 1, 1), 0).at(1, echoFrame(8, A, B, 1, 2), 1).at(2, echoFrame(8, A, B, 1, 3), 0);
    const r = analyzeFrames(t.frames, { resolver, ports: true });
    const moved = r.findings.filter((f) => f.kind === 'mac-moved');
    expect(moved.map((f) => f.frames)).toEqual([[2]]);
    expect(moved[0].text).toBe('02:42:ac:1e:00:0a (web-bridge-1) moved from interface 0 to interface 1');
    expect(kinds(analyzeFrames(t.frames, { resolver }).findings)).not.toContain('mac-moved');
  });
});

describe('ICMP echo analysis', () => {
  it('pairs by (src, dst, id, seq) and gives exact nanosecond RTTs', () => {
    const t = new Timeline()
      .at(0, echoFrame(8, A, B, 7, 0))
      .at(0.071, echoFrame(0, B, A, 7, 0))
      .at(1000, echoFrame(8, A, B, 7, 1))
      .at(1000.5, echoFrame(8, A, B, 8, 1)) // other identifier: another ping process
      .at(1000.9, echoFrame(0, B, A, 8, 1))
      .at(1001, echoFrame(0, B, A, 7, 1));
    const seen: Transaction[] = [];
    const a = new Analyzer({ resolver, onTransaction: (tx) => tx.state === 'answered' && seen.push({ ...tx }) });
    const dec = new FrameDecoder();
    t.frames.forEach((f, i) => a.observe(dec.decode(f.bytes, 1), i + 1, f.tsSec, f.tsNsec));
    expect(seen.map((tx) => [tx.requestFrame, tx.replyFrame, tx.rttNs])).toEqual([[1, 2, 71_000], [4, 5, 400_000], [3, 6, 1_000_000]]);
    expect(a.annotation(6)).toMatchObject({ role: 'reply', transaction: { rttNs: 1_000_000, sequence: 1, identifier: 7 } });
    const r = a.finish();
    expect(r.findings).toEqual([]);
    expect(r.pairs[0].icmp).toMatchObject({ requests: 3, replies: 3, lost: 0, loss: 0 });
    expect(r.pairs[0].icmp.rtt).toMatchObject({ count: 3, minNs: 71_000, maxNs: 1_000_000, avgNs: Math.round(1_471_000 / 3), p99Ns: 1_000_000, p99Exact: true });
  });

  it('reports unanswered requests, loss, late and orphan replies, duplicates', () => {
    const t = new Timeline()
      .at(0, echoFrame(8, A, B, 1, 1))
      .at(0, echoFrame(8, A, B, 1, 1)) // the same request twice
      .at(1, echoFrame(0, B, A, 1, 1))
      .at(2, echoFrame(0, B, A, 1, 1)) // and its reply twice
      .at(3, echoFrame(0, B, A, 1, 99)) // nobody asked
      .at(10, echoFrame(8, A, B, 1, 2))
      .at(1500, echoFrame(8, A, B, 1, 3)) // clock passes seq 2's timeout
      .at(1700, echoFrame(0, B, A, 1, 3))
      .at(3000, echoFrame(8, A, B, 1, 4))
      .at(4500, echoFrame(0, B, A, 1, 4)); // 1.5 s: late
    const r = analyzeFrames(t.frames, { resolver });
    expect(kinds(r.findings)).toEqual([
      'echo-duplicate-request', 'echo-duplicate-reply', 'echo-reply-without-request', 'echo-unanswered', 'echo-unanswered', 'echo-late-reply',
    ]);
    const unanswered = r.findings.filter((f) => f.kind === 'echo-unanswered');
    expect(unanswered[0]).toMatchObject({ frames: [6], text: 'web-bridge-1 -> web-bridge-2 echo request id 1 seq 2: no reply within 1000 ms' });
    expect(r.findings[5]).toMatchObject({ frames: [10, 9], rttNs: 1.5e9 });
    // seq 1, 3, 4 answered (4 late), seq 2 lost.
    expect(r.pairs[0].icmp).toMatchObject({ lost: 1, pending: 0, loss: 0.25 });
  });

  it('ties destination unreachable to the echo request it quotes', () => {
    const req = echoFrame(8, A, C, 3, 9);
    const gw = { mac: '02:42:35:df:c4:66', ip: '172.30.0.1' };
    const t = new Timeline().at(0, req).at(1, icmpErrorFrame(3, 1, gw, A, req));
    const r = analyzeFrames(t.frames, { resolver, pendingAsUnanswered: true });
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({
      kind: 'icmp-unreachable',
      severity: 'error',
      frames: [2, 1],
      requestFrame: 1,
      text: '172.30.0.1 told web-bridge-1: host unreachable for web-bridge-1 > web-default ICMP echo request id 3 seq 9 (frame 1)',
    });
    // Answered by an error: neither lost nor pending.
    const p = r.pairs.find((x) => x.b === 'web-default')!;
    expect(p.icmp).toMatchObject({ errors: 1, lost: 0, pending: 0 });
  });

  it('names the quoted UDP port and time exceeded', () => {
    const udp = udpFrame(A, B, 40000, 53);
    const t = new Timeline().at(0, udp).at(1, icmpErrorFrame(3, 3, B, A, udp)).at(2, icmpErrorFrame(11, 0, B, A, udp));
    const r = analyzeFrames(t.frames, { resolver });
    expect(r.findings.map((f) => f.text)).toEqual([
      'web-bridge-2 told web-bridge-1: port unreachable for web-bridge-1 > web-bridge-2 UDP port 53',
      'web-bridge-2 told web-bridge-1: TTL exceeded in transit for web-bridge-1 > web-bridge-2 UDP port 53',
    ]);
    expect(kinds(r.findings)).toEqual(['icmp-unreachable', 'icmp-time-exceeded']);
  });

  it('keeps memory bounded by open transactions, not frames', () => {
    const a = new Analyzer({ resolver, annotateFrames: 16 });
    const dec = new FrameDecoder();
    const req = dec.decode.bind(dec);
    let n = 0;
    for (let i = 0; i < 20_000; i++) {
      const ms = i; // one pair per ms: ~2 s of retained transactions at most
      const sec = 1_700_000_000 + Math.floor(ms / 1000);
      const nsec = (ms % 1000) * 1e6;
      a.observe(req(echoFrame(8, A, B, 1, i & 0xffff), 1), ++n, sec, nsec);
      a.observe(req(echoFrame(0, B, A, 1, i & 0xffff), 1), ++n, sec, nsec + 100);
    }
    expect(a.openTransactions).toBeLessThanOrEqual(2001);
    expect(a.annotation(1)).toBeUndefined();
    expect(a.annotation(n)!.role).toBe('reply');
    const r = a.finish();
    expect(r.pairs[0].icmp.rtt).toMatchObject({ count: 20_000, minNs: 100, maxNs: 100, p99Exact: false });
  });
});
