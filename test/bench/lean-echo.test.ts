import { describe, expect, it } from 'vitest';
import { LeanEchoPairing } from '../../src/bench/lean-echo.js';
import { Analyzer } from '../../src/analyze/analyzer.js';
import { RttStats } from '../../src/analyze/rtt-stats.js';
import { FrameDecoder, IcmpType, LinkType, emitEchoFrame } from '../../src/decode/index.js';

const A = { mac: 0x02_00_00_00_00_0a, ip: 0x0a_00_00_0a };
const B = { mac: 0x02_00_00_00_00_0b, ip: 0x0a_00_00_0b };
const ID = 7;
const MS = 1e6;
const T0 = 1_800_000_000;

type Ping = { ns: number; reply: boolean; seq: number };
const request = (ns: number, seq: number): Ping => ({ ns, reply: false, seq });
const reply = (ns: number, seq: number): Ping => ({ ns, reply: true, seq });

/**
 * A ping from A to B with each kind of decision in it: seq 10 never answered, seq 20 answered
 * after its verdict, seq 30 asked twice, seq 0-4 asked again while their first transactions are
 * held (a wrap), a reply nobody asked for, and, seconds later, bursts of ten requests answered
 * after the burst (replies found through the key table, after every earlier key was retired).
 */
function scenario(): Ping[] {
  const pings: Ping[] = [];
  for (let seq = 0; seq < 100; seq++) {
    pings.push(request(seq * 10 * MS, seq));
    if (seq === 30) pings.push(request(seq * 10 * MS + 0.5 * MS, seq));
    if (seq !== 10 && seq !== 20) pings.push(reply(seq * 10 * MS + MS, seq));
  }
  pings.push(reply(1700 * MS, 20));
  for (let seq = 0; seq < 5; seq++) pings.push(request(1500 * MS + seq * 10 * MS, seq), reply(1500 * MS + seq * 10 * MS + MS, seq));
  pings.push(reply(1800 * MS, 500));
  for (let burst = 0; burst < 10; burst++) {
    const at = 10_000 * MS + burst * 100 * MS;
    for (let k = 0; k < 10; k++) pings.push(request(at + k * MS, burst * 10 + k));
    for (let k = 0; k < 10; k++) pings.push(reply(at + 20 * MS + k * MS, burst * 10 + k));
  }
  return pings.sort((x, y) => x.ns - y.ns);
}

function feed(pings: Ping[], observe: (f: ReturnType<FrameDecoder['decode']>, frameNo: number, sec: number, nsec: number) => void): void {
  const decoder = new FrameDecoder();
  pings.forEach((p, i) => {
    const bytes = p.reply ? emitEchoFrame(IcmpType.ECHO_REPLY, B, A, ID, p.seq) : emitEchoFrame(IcmpType.ECHO_REQUEST, A, B, ID, p.seq);
    observe(decoder.decode(bytes, LinkType.ETHERNET), i + 1, T0 + Math.floor(p.ns / 1e9), p.ns % 1e9);
  });
}

describe('LeanEchoPairing (the bench yardstick echo-lean)', () => {
  it('decides a ping as the analyzer does: repeats, wraps, verdicts, late and unexpected replies', () => {
    const pings = scenario();
    const lean = new LeanEchoPairing();
    feed(pings, (f, _n, sec, nsec) => lean.observe(f, sec, nsec));
    expect(lean.counts).toEqual({ requests: 206, repeats: 1, answered: 204, lateAnswers: 1, unanswered: 2, unexpected: 1 });
    expect(lean.pending).toBe(0);

    const analyzer = new Analyzer();
    feed(pings, (f, n, sec, nsec) => analyzer.observe(f, n, sec, nsec));
    const [pair] = analyzer.finish().pairs;
    const [counted] = [...lean.pairs.all()];
    expect({ requests: counted.echoRequests, replies: counted.echoReplies, lost: counted.echoLost, rtt: RttStats.summary(counted.echoRtt) })
      .toEqual({ requests: pair.icmp.requests, replies: pair.icmp.replies, lost: pair.icmp.lost, rtt: pair.icmp.rtt });
  });

  it('counts a request still inside its timeout at the end as pending', () => {
    const lean = new LeanEchoPairing();
    feed([request(0, 1), reply(MS, 1), request(10 * MS, 2)], (f, _n, sec, nsec) => lean.observe(f, sec, nsec));
    expect(lean.pending).toBe(1);
    expect(lean.counts.unanswered).toBe(0);
  });

  it('refuses a flood that outruns its ring rather than forget open requests', () => {
    const lean = new LeanEchoPairing();
    const pings: Ping[] = [];
    for (let seq = 0; seq < 65_536; seq++) pings.push(request(seq * 1000, seq));
    for (let n = 0; n < 65_536; n++) pings.push({ ns: (65_536 + n) * 1000, reply: false, seq: n });
    const decoder = new FrameDecoder();
    // Two askers' worth of open requests: 131,072 slots fill, none decided.
    const C = { mac: 0x02_00_00_00_00_0c, ip: 0x0a_00_00_0c };
    const run = () => pings.forEach((p, i) => {
      const from = i < 65_536 ? A : C;
      lean.observe(decoder.decode(emitEchoFrame(IcmpType.ECHO_REQUEST, from, B, ID, p.seq), LinkType.ETHERNET), T0, p.ns);
    });
    expect(run).not.toThrow();
    expect(() => lean.observe(decoder.decode(emitEchoFrame(IcmpType.ECHO_REQUEST, B, A, ID, 1), LinkType.ETHERNET), T0, 140_000_000)).toThrow(/at most 131072 requests/);
  });
});
