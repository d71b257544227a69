import { describe, expect, it } from 'vitest';
import { noNames } from '../../src/model/endpoint.js';
import type { FrameBatch } from '../../src/source/frame-batch.js';
import { FrameRing } from '../../src/tui/store/frame-ring.js';
import { TuiStore } from '../../src/tui/store/tui-store.js';
import { compileFilter, FilterSyntaxError } from '../../src/tui/filter/display-filter.js';
import { FrameDecoder } from '../../src/decode/index.js';
import { batchOf, pingExchange, tableResolver, WEB1, WEB2, echoFrame, arpFrame } from './frames.js';

const resolver = tableResolver([WEB1, WEB2]);

function storeWith(frames: Uint8Array[], opts: Partial<ConstructorParameters<typeof TuiStore>[0]> = {}): TuiStore {
  const s = new TuiStore({ resolver, ...opts });
  s.ingest(batchOf(frames));
  s.flush();
  return s;
}

describe('FrameRing', () => {
  it('keeps the newest frames when the slots are full, and counts the dropped ones', () => {
    const ring = new FrameRing({ frames: 4, arenaBytes: 1 << 16 });
    for (let i = 0; i < 10; i++) ring.push(Uint8Array.of(i, i, i), 3, i, 0, 1);
    expect(ring.size).toBe(4);
    expect(ring.dropped).toBe(6);
    expect([...ring.bytes(9)]).toEqual([9, 9, 9]);
    expect([...ring.bytes(6)]).toEqual([6, 6, 6]);
    expect(ring.has(5)).toBe(false);
  });

  it('evicts by bytes when the arena wraps, and never returns overwritten bytes', () => {
    const ring = new FrameRing({ frames: 1000, arenaBytes: 100, maxFrameBytes: 40 });
    for (let i = 0; i < 50; i++) ring.push(new Uint8Array(30).fill(i), 30, i, 0, 1);
    expect(ring.size).toBeLessThanOrEqual(3);
    for (let i = ring.first; i < ring.end; i++) expect(ring.bytes(i).every((b) => b === i)).toBe(true);
    ring.push(new Uint8Array(90).fill(7), 90, 0, 0, 1); // cut to maxFrameBytes
    expect(ring.bytes(ring.end - 1).length).toBe(40);
    expect(ring.origLenOf(ring.end - 1)).toBe(90);
  });

  it('grows its arena only as far as the frames held need, keeping every held frame and evicting intact bytes', () => {
    const small = new FrameRing({ frames: 100_000 });
    const frame = new Uint8Array(98);
    for (let i = 0; i < 300_000; i++) small.push(frame.fill(i & 0xff), 98, i, 0, 1);
    // 100,000 frames of 98 bytes need 9.8 MB: the arena doubles from 4 MiB to 16 MiB, not to the 64 MiB cap.
    expect(small.arenaBytes).toBe(16 << 20);
    expect(small.size).toBe(100_000);

    const seen: number[] = [];
    const ring = new FrameRing({ frames: 1000, arenaBytes: 8 << 20 });
    ring.sink = {
      runBytes: 1, // frames leave as they must, one by one
      accepting: true,
      evicted: (r, from, to) => {
        const span = r.span(from, to);
        for (let index = from; index < to; index++) {
          const at = r.offsetOf(index) - r.offsetOf(from);
          expect(span.subarray(at, at + r.capLenOf(index)).every((b) => b === (index & 0xff))).toBe(true);
          seen.push(index);
        }
      },
    };
    const big = new Uint8Array(20_000);
    for (let i = 0; i < 3000; i++) ring.push(big.fill(i & 0xff), 20_000, i, 0, 1);
    expect(ring.arenaBytes).toBe(8 << 20);
    expect(ring.size).toBe(Math.floor((8 << 20) / 20_000));
    for (let i = ring.first; i < ring.end; i++) expect(ring.bytes(i).every((b) => b === (i & 0xff))).toBe(true);
    expect(seen).toEqual(Array.from({ length: ring.first }, (_, i) => i));
  });

  it('grows a wrapped arena by laying its frames out again, oldest first', () => {
    const ring = new FrameRing({ frames: 100, maxFrameBytes: 3 << 20 });
    const push = (i: number, len: number) => ring.push(new Uint8Array(len).fill(i & 0xff), len, i, 0, 1);
    // 100 frames of 50 kB held in a 6 MiB arena they have wrapped around; a 2.5 MiB frame evicts
    // for bytes, then the next finds slots free and grows the arena with the frames wrapped.
    for (let i = 0; i < 300; i++) push(i, 50_000);
    expect(ring.arenaBytes).toBe(6 << 20);
    expect(ring.offsetOf(ring.first)).toBeGreaterThan(ring.offsetOf(ring.end - 1));
    push(300, 2.5 * 2 ** 20);
    const held = ring.size;
    expect(held).toBeLessThan(100);
    push(301, 2.5 * 2 ** 20);
    expect(ring.arenaBytes).toBe(12 << 20);
    expect(ring.size).toBe(held + 1); // growing kept every frame
    for (let i = 302; i < 400; i++) push(i, 50_000);
    expect(ring.end).toBe(400);
    for (let i = ring.first; i < ring.end; i++) expect(ring.bytes(i).every((b) => b === (i & 0xff)), `frame ${i}`).toBe(true);
  });

  it('copies a batch by runs and hands a sink runs of about runBytes, never holding fewer than capacity frames', () => {
    const ring = new FrameRing({ frames: 1000 });
    const runs: number[][] = [];
    ring.sink = { runBytes: 8192, accepting: true, evicted: (_r, from, to) => void runs.push([from, to]) };
    const frame = (i: number) => Uint8Array.from({ length: 60 + (i % 7) }, (_, k) => (i + k) & 0xff);
    for (let at = 0; at < 5000; at += 300) {
      ring.pushBatch(batchOf(Array.from({ length: Math.min(300, 5000 - at) }, (_, k) => frame(at + k))));
      expect(ring.size).toBeGreaterThanOrEqual(Math.min(ring.end, 1000));
      expect(ring.size).toBeLessThanOrEqual(1000 + ring.slack);
    }
    for (let i = ring.first; i < ring.end; i++) expect(Buffer.from(ring.bytes(i)).equals(Buffer.from(frame(i)))).toBe(true);
    // Oldest first, each run starting where the last ended, up to the ring's first frame.
    expect(runs.map(([from]) => from)).toEqual([0, ...runs.slice(0, -1).map(([, to]) => to)]);
    expect(runs.at(-1)![1]).toBe(ring.first);
    expect(runs.length).toBeLessThan(ring.first / 100);
  });

  it("keeps each batched frame's bytes and numbers across wrapping slots, gaps, cut frames and link types", () => {
    const ring = new FrameRing({ frames: 50, arenaBytes: 1 << 16, maxFrameBytes: 60 });
    ring.sink = { runBytes: 700, accepting: true, evicted: () => undefined };
    let seed = 7;
    const next = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
    const sent: { bytes: Uint8Array; origLen: number; tsSec: number; tsNsec: number; linkType: number }[] = [];
    const interfaces = [
      { id: 0, linkType: 1, snapLen: 262144 },
      { id: 1, linkType: 113, snapLen: 262144 },
    ];
    for (let round = 0; round < 60; round++) {
      const count = 1 + next(60);
      const b: FrameBatch = {
        count, data: new Uint8Array(count * 160), offset: new Uint32Array(count), capLen: new Uint32Array(count),
        origLen: new Uint32Array(count), tsSec: new Float64Array(count), tsNsec: new Uint32Array(count),
        ifIndex: new Uint32Array(count), interfaces,
      };
      for (let i = 0, at = 0; i < count; i++) {
        at += next(12) === 0 ? 70 : next(20); // mostly runs, now and then a gap too wide for one
        const len = next(8) === 0 ? 61 + next(19) : next(61); // some longer than maxFrameBytes, some empty
        const index = sent.length;
        for (let k = 0; k < len; k++) b.data[at + k] = (index * 7 + k) & 0xff;
        b.offset[i] = at;
        b.capLen[i] = len;
        b.origLen[i] = len + next(3);
        b.tsSec[i] = 1_700_000_000 + index;
        b.tsNsec[i] = index * 1000;
        b.ifIndex[i] = next(4) === 0 ? 1 : 0;
        sent.push({ bytes: b.data.slice(at, at + Math.min(len, 60)), origLen: b.origLen[i], tsSec: b.tsSec[i], tsNsec: b.tsNsec[i], linkType: interfaces[b.ifIndex[i]].linkType });
        at += len;
      }
      ring.pushBatch(b);
      for (let i = ring.first; i < ring.end; i++) {
        const f = sent[i];
        expect([...ring.bytes(i)]).toEqual([...f.bytes]);
        expect([ring.capLenOf(i), ring.origLenOf(i), ring.tsSecOf(i), ring.tsNsecOf(i), ring.linkTypeOf(i)]).toEqual([
          f.bytes.length, f.origLen, f.tsSec, f.tsNsec, f.linkType,
        ]);
      }
    }
    expect(ring.first).toBeGreaterThan(200);
  });
});

describe('display filter', () => {
  const dec = new FrameDecoder();
  const frames = pingExchange(1);
  const match = (text: string) => frames.map((f) => compileFilter(text)!(dec.decode(f, 1), resolver, 0));

  it('matches protocols, names, addresses and their combinations', () => {
    expect(match('arp')).toEqual([true, true, false, false]);
    expect(match('icmp')).toEqual([false, false, true, true]);
    expect(match('not arp')).toEqual([false, false, true, true]);
    expect(match('icmp and web-bridge-2')).toEqual([false, false, true, true]);
    expect(match(WEB1.mac)).toEqual([true, true, true, true]);
    expect(match('172.30.0.11 and arp')).toEqual([true, true, false, false]);
    expect(match('nobody or (arp and not broadcast)')).toEqual([false, true, false, false]);
  });

  it('reports syntax errors as typed errors naming the filter', () => {
    expect(() => compileFilter('icmp and')).toThrow(FilterSyntaxError);
    expect(() => compileFilter('(arp')).toThrow(/missing "\)"/);
    expect(() => compileFilter('arp icmp')).toThrow(/unexpected "icmp"/);
    expect(compileFilter('  ')).toBeUndefined();
  });
});

describe('TuiStore', () => {
  it('follows the tail, stops following on a move, and follows again on end', () => {
    const s = storeWith(pingExchange(4));
    s.dispatch({ type: 'listRows', rows: 5 });
    expect(s.getSnapshot().ui.selected).toBe(9);
    s.dispatch({ type: 'move', delta: -3 });
    expect(s.getSnapshot().ui).toMatchObject({ selected: 6, following: false });
    s.ingest(batchOf(pingExchange(1)));
    s.flush();
    expect(s.getSnapshot().ui.selected).toBe(6);
    expect(s.getSnapshot().listEnd).toBe(14);
    s.dispatch({ type: 'end' });
    expect(s.getSnapshot().ui).toMatchObject({ selected: 13, following: true });
  });

  it('pausing freezes the list but not the capture', () => {
    const s = storeWith(pingExchange(1));
    s.dispatch({ type: 'togglePause' });
    s.ingest(batchOf(pingExchange(2)));
    s.flush();
    const snap = s.getSnapshot();
    expect(snap.frames).toBe(10);
    expect(snap.listEnd).toBe(4);
    expect(snap.newWhilePaused).toBe(6);
    s.dispatch({ type: 'togglePause' });
    expect(s.getSnapshot()).toMatchObject({ listEnd: 10, newWhilePaused: 0 });
    expect(s.getSnapshot().ui.selected).toBe(9);
  });

  it('a filter narrows the list, applies to frames arriving later, and Esc clears it', () => {
    const s = storeWith(pingExchange(2));
    s.applyFilter('arp');
    expect(s.getSnapshot().listEnd - s.getSnapshot().listFirst).toBe(2);
    s.ingest(batchOf([arpFrame(1, WEB2.mac, WEB2.ip, '00:00:00:00:00:00', WEB1.ip), echoFrame(8, WEB1.mac, WEB2.mac, WEB1.ip, WEB2.ip, 1, 1)]));
    s.flush();
    const snap = s.getSnapshot();
    expect(snap.listEnd - snap.listFirst).toBe(3);
    expect(s.indexAt(snap.ui.selected)).toBe(6);
    s.dispatch({ type: 'escape' });
    expect(s.getSnapshot().ui.filter).toBe('');
    expect(s.getSnapshot().listEnd).toBe(8);
  });

  it('a bad filter keeps the old one and says why', () => {
    const s = storeWith(pingExchange(1));
    s.applyFilter('icmp');
    s.applyFilter('icmp and (');
    expect(s.getSnapshot().ui.filter).toBe('icmp');
    expect(s.getSnapshot().ui.status).toMatch(/display filter "icmp and \(": ends where a term was expected/);
  });

  it('notifies subscribers at most once per throttle interval while frames arrive', async () => {
    const s = new TuiStore({ resolver: noNames, renderHz: 20 });
    let notified = 0;
    s.subscribe(() => notified++);
    for (let i = 0; i < 200; i++) s.ingest(batchOf(pingExchange(5)));
    expect(notified).toBe(0);
    await new Promise((r) => setTimeout(r, 120));
    expect(notified).toBe(1);
    expect(s.getSnapshot().frames).toBe(2400);
    s.dispose();
  });

  it('stays bounded when fed 1,000,000 small frames (without a spill file)', () => {
    const s = new TuiStore({ resolver, ring: { frames: 50_000 }, spill: false });
    const frames = pingExchange(4); // 10 frames of 42..74 bytes
    const batch = batchOf(Array.from({ length: 1000 }, (_, i) => frames[i % frames.length]));
    for (let i = 0; i < 1000; i++) s.ingest(batch);
    s.applyFilter('icmp and web-bridge-2');
    for (let i = 0; i < 10; i++) s.ingest(batch);
    s.flush();
    const snap = s.getSnapshot();
    expect(snap.frames).toBe(1_010_000);
    expect(s.ring.size).toBe(50_000);
    expect(snap.held).toBe(50_000);
    expect(snap.droppedFromRing).toBe(960_000);
    expect(snap.listEnd - snap.listFirst).toBe(40_000); // 8 of every 10 frames are ICMP
    const conv = s.traffic.pairs();
    expect(conv).toHaveLength(1);
    expect(conv[0]).toMatchObject({ arpIcmp: 1_010_000, icmpOther: 0, frames: 1_010_000 });
    s.dispose();
  });
});
