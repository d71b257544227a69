import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../src/analyze/index.js';
import { KeyIndex } from '../../src/analyze/key-index.js';
import { FrameDecoder } from '../../src/decode/index.js';
import { A, B, C, echoFrame } from './build-frames.js';
import { namesFor } from './resolver.js';

const resolver = namesFor({ 'web-bridge-1': A, 'web-bridge-2': B, 'web-default': C });

/** Writes identifier and sequence into an echo frame built by echoFrame (ICMP header at 34). */
function setIdSeq(frame: Uint8Array, id: number, seq: number): void {
  frame[38] = id >> 8;
  frame[39] = id & 0xff;
  frame[40] = seq >> 8;
  frame[41] = seq & 0xff;
}

describe('analysis memory is bounded by held transactions, not by frames', () => {
  it('holds the same transaction slots after 100k and after 1M echo pairs', () => {
    const a = new Analyzer({ resolver });
    const dec = new FrameDecoder();
    const req = echoFrame(8, A, B, 7, 0);
    const rep = echoFrame(0, B, A, 7, 0);
    // 10,000 pairs per second, the reply 50 us after its request: 20,000 transactions are held
    // (two timeouts' worth), and the 65,536 annotated frames touch 32,768 of them.
    const t0 = 1_700_000_000;
    let n = 0;
    let slotsAt100k = 0;
    let mostHeld = 0;
    for (let i = 0; i < 1_000_000; i++) {
      const us = i * 100;
      const sec = t0 + Math.floor(us / 1e6);
      const nsec = (us % 1e6) * 1000;
      setIdSeq(req, 7, i & 0xffff);
      setIdSeq(rep, 7, i & 0xffff);
      a.observe(dec.decode(req, 1), ++n, sec, nsec);
      a.observe(dec.decode(rep, 1), ++n, sec, nsec + 50_000);
      if (i === 100_000) slotsAt100k = a.transactionSlots;
      if (a.openTransactions > mostHeld) mostHeld = a.openTransactions;
    }
    expect(mostHeld).toBeLessThanOrEqual(20_001);
    expect(a.transactionSlots).toBe(slotsAt100k);
    // Ring of a power of two over held + annotated transactions, plus the (unused) ARP, NDP and ICMPv6 stores' minimum.
    expect(a.transactionSlots).toBeLessThanOrEqual(65_536 + 3 * 256);
    // Frames of the annotation window still find their transactions after slots were reused.
    expect(a.annotation(n)).toMatchObject({ role: 'reply', transaction: { requestFrame: n - 1, rttNs: 50_000, state: 'answered' } });
    expect(a.annotation(n - 65_535)).toBeDefined();
    const r = a.finish();
    expect(r.findings).toEqual([]);
    expect(r.pairs[0].icmp).toMatchObject({ requests: 1_000_000, replies: 1_000_000, lost: 0 });
    expect(r.pairs[0].icmp.rtt).toMatchObject({ count: 1_000_000, minNs: 50_000, maxNs: 50_000 });
  }, 60_000);
});

describe('a flood wrapping its sequence numbers', () => {
  it('holds one sequence space of transactions: each takeover frees the slot the next request needs', () => {
    const a = new Analyzer({ resolver, annotateFrames: 0 });
    const dec = new FrameDecoder();
    const req = echoFrame(8, A, B, 7, 0);
    const rep = echoFrame(0, B, A, 7, 0);
    const t0 = 1_700_000_000;
    let n = 0;
    // 100,000 pairs a second, answered at once: 200,000 transactions fall within two timeouts,
    // but a request 65,536 later takes each one's key over (and nothing can reach it then).
    for (let i = 0; i < 300_000; i++) {
      const ns = i * 10_000;
      setIdSeq(req, 7, i & 0xffff);
      setIdSeq(rep, 7, i & 0xffff);
      a.observe(dec.decode(req, 1), ++n, t0 + Math.floor(ns / 1e9), ns % 1e9);
      a.observe(dec.decode(rep, 1), ++n, t0 + Math.floor(ns / 1e9), (ns % 1e9) + 2000);
    }
    expect(a.openTransactions).toBeLessThanOrEqual(65_536);
    expect(a.transactionSlots).toBe(65_536 + 3 * 256);
    const r = a.finish();
    expect(r.findings).toEqual([]);
    expect(r.pairs[0].icmp).toMatchObject({ requests: 300_000, replies: 300_000, lost: 0 });
  });

  it('keeps a taken-over request that is still open until its verdict, though the ring is full', () => {
    const a = new Analyzer({ resolver, annotateFrames: 0 });
    const dec = new FrameDecoder();
    const t0 = 1_700_000_000;
    let n = 0;
    const at = (ms: number, frame: Uint8Array) => a.observe(dec.decode(frame, 1), ++n, t0 + Math.floor(ms / 1000), (ms % 1000) * 1e6);
    // Seq 0 to B, then seq 0 to C: the second takes the key (A, id 7, seq 0) over while the
    // first is open. 255 answered pings fill the ring of 256 behind them, so the next request
    // finds the oldest slot taken over but undecided: the ring must grow, not reuse it.
    at(0, echoFrame(8, A, B, 7, 0));
    at(0, echoFrame(8, A, C, 7, 0));
    for (let seq = 1; seq <= 256; seq++) {
      at(seq, echoFrame(8, A, B, 7, seq));
      at(seq, echoFrame(0, B, A, 7, seq));
    }
    at(3000, echoFrame(8, A, B, 8, 0));
    const lost = a.finish().findings.filter((f) => f.kind === 'echo-unanswered').map((f) => f.text);
    expect(lost).toEqual([
      'web-bridge-1 -> web-bridge-2 echo request id 7 seq 0: no reply within 1000 ms',
      'web-bridge-1 -> web-default echo request id 7 seq 0: no reply within 1000 ms',
    ]);
  });
});

describe('retirement in batches', () => {
  it('finds a transaction until twice the timeout after its request, and not a frame later', () => {
    const a = new Analyzer({ resolver });
    const dec = new FrameDecoder();
    const req = echoFrame(8, A, B, 7, 0);
    const rep = echoFrame(0, B, A, 7, 0);
    const t0 = 1_700_000_000;
    let n = 0;
    const at = (us: number, frame: Uint8Array, seq: number) => {
      setIdSeq(frame, 7, seq);
      a.observe(dec.decode(frame, 1), ++n, t0 + Math.floor(us / 1e6), (us % 1e6) * 1000);
    };
    // A ping a millisecond for 2.5 s, each answered after 50 us: retirement comes in batches.
    for (let i = 0; i < 2500; i++) {
      at(i * 1000, req, i);
      at(i * 1000 + 50, rep, i);
      // Seq 0 was requested at 0 and seq 1 at 1 ms: the default timeout is 1 s.
      if (i === 1999) at(i * 1000 + 999, rep, 0);
      if (i === 2001) at(i * 1000 + 1, rep, 1);
    }
    const kinds = a.finish().findings.map((f) => `${f.kind} ${f.text.match(/seq \d+/)?.[0]}`);
    expect(kinds).toEqual(['echo-duplicate-reply seq 0', 'echo-reply-without-request seq 1']);
  });
});

/** Deterministic xorshift for the randomised index test. */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe('KeyIndex', () => {
  it('agrees with a Map under random sets, takeovers and deletes across flows', () => {
    const ix = new KeyIndex();
    const ref = new Map<string, number>();
    const rand = rng(12345);
    // Few flows (key1, high half of key2) with dense and sparse low halves, so tables grow,
    // probe runs wrap and backward shifts move entries.
    const keys: Array<[number, number]> = [];
    for (let i = 0; i < 4000; i++) {
      const k1 = [0xac1e000a, 0x0acc0001, 0xffffffff][Math.floor(rand() * 3)];
      const hi = [0, 9119, 0xffff][Math.floor(rand() * 3)];
      const lo = rand() < 0.5 ? i % 300 : Math.floor(rand() * 65536);
      keys.push([k1, hi * 65536 + lo]);
    }
    for (let step = 0; step < 60_000; step++) {
      const [k1, k2] = keys[Math.floor(rand() * keys.length)];
      const id = `${k1}/${k2}`;
      const op = rand();
      if (op < 0.45) {
        const v = Math.floor(rand() * 1e6);
        expect(ix.set(k1, k2, v)).toBe(ref.get(id) ?? -1);
        ref.set(id, v);
      } else if (op < 0.75) {
        const held = ref.get(id);
        // Deleting with a stale value must leave a newer mapping alone.
        const v = held !== undefined && rand() < 0.8 ? held : 7;
        ix.delete(k1, k2, v);
        if (held === v) ref.delete(id);
      } else {
        expect(ix.get(k1, k2)).toBe(ref.get(id) ?? -1);
      }
      expect(ix.size).toBe(ref.size);
    }
    for (const [k1, k2] of keys) expect(ix.get(k1, k2)).toBe(ref.get(`${k1}/${k2}`) ?? -1);
  });

  it('holds a whole sequence space in one bucket per low half', () => {
    const ix = new KeyIndex();
    for (let lo = 0; lo < 65536; lo++) expect(ix.set(3, 0x70000 + lo, lo)).toBe(-1);
    expect(ix.buckets).toBe(65536);
    for (let lo = 0; lo < 65536; lo += 3) ix.delete(3, 0x70000 + lo, lo);
    for (let lo = 65535; lo >= 0; lo--) expect(ix.set(3, 0x70000 + lo, lo + 1)).toBe(lo % 3 === 0 ? -1 : lo);
    for (let lo = 0; lo < 65536; lo++) expect(ix.get(3, 0x70000 + lo)).toBe(lo + 1);
    expect([ix.size, ix.buckets]).toEqual([65536, 65536]);
  });

  it('uses what get found for the set that follows, and forgets it when the table changes', () => {
    const ix = new KeyIndex();
    expect(ix.get(1, 5)).toBe(-1);
    ix.set(1, 6, 60);
    // The set of (1, 6) grew nothing here, but it must not reuse the bucket get found for (1, 5).
    expect(ix.set(1, 5, 50)).toBe(-1);
    expect([ix.get(1, 5), ix.get(1, 6)]).toEqual([50, 60]);
    for (let lo = 0; lo < 100; lo++) ix.set(2, lo, lo);
    expect(ix.get(2, 99)).toBe(99);
    ix.delete(2, 99, 99);
    expect(ix.set(2, 99, 1)).toBe(-1);
    expect(ix.get(2, 99)).toBe(1);
    expect(ix.size).toBe(102);
  });
});
