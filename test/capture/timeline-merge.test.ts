import { describe, expect, it } from 'vitest';
import { HEADER_WORDS } from '../../src/capture/native.js';
import { TimelineMerge } from '../../src/capture/timeline-merge.js';
import type { CaptureInterface } from '../../src/source/frame-batch.js';
import { frameBytes } from '../../src/source/frame-batch.js';

const ifs = (n: number): CaptureInterface[] =>
  Array.from({ length: n }, (_, id) => ({ id, linkType: 1, snapLen: 65535, name: `if${id}` }));

/** A native-shaped delivery (header columns): frames of `len` bytes filled with `tag`, at (sec, nsec). */
function chunk(tag: number, times: Array<[number, number]>, len = 4): [Uint8Array, Uint32Array] {
  const n = times.length;
  const arena = new Uint8Array(n * len).fill(tag);
  const headers = new Uint32Array(n * HEADER_WORDS);
  times.forEach(([sec, nsec], i) =>
    [i * len, len, len + 10, sec, nsec].forEach((v, k) => (headers[k * n + i] = v)),
  );
  return [arena, headers];
}

function drain(m: TimelineMerge, cutoff: number): Array<[number, number, number, number]> {
  const out: Array<[number, number, number, number]> = [];
  for (let b = m.take(cutoff); b; b = m.take(cutoff)) {
    for (let i = 0; i < b.count; i++) out.push([b.ifIndex[i], b.tsSec[i], b.tsNsec[i], frameBytes(b, i)[0]]);
  }
  return out;
}

describe('TimelineMerge', () => {
  it('passes one interface through without copying', () => {
    const m = new TimelineMerge(ifs(1));
    const [arena, headers] = chunk(7, [[1, 5], [1, 6]]);
    m.push(0, arena, headers);
    const b = m.take(0)!;
    expect(b.data).toBe(arena);
    expect(b.count).toBe(2);
    expect(b.origLen[1]).toBe(14);
    expect([b.tsSec[1], b.tsNsec[1], b.offset[1], b.ifIndex[1]]).toEqual([1, 6, 4, 0]);
    expect(m.take(0)).toBeNull();
    expect(m.queuedBytes).toBe(0);
  });

  it('gives a chunk back once nothing reads it: a passed-through one at the next take, a copied one when copied', () => {
    const released: string[] = [];
    const one = new TimelineMerge(ifs(1));
    one.push(0, ...chunk(7, [[1, 5]]), true, undefined, () => released.push('a'));
    one.push(0, ...chunk(8, [[1, 6]]), true, undefined, () => released.push('b'));
    expect(one.take(0)!.data[0]).toBe(7);
    // The batch is the chunk's own arena: it is the consumer's until it asks for the next one.
    expect(released).toEqual([]);
    expect(one.take(0)!.data[0]).toBe(8);
    expect(released).toEqual(['a']);
    expect(one.take(0)).toBeNull();
    expect(released).toEqual(['a', 'b']);

    const two = new TimelineMerge(ifs(2));
    two.push(0, ...chunk(1, [[10, 1]]), true, undefined, () => released.push('c'));
    two.push(1, ...chunk(2, [[10, 2], [10, 3]]), true, undefined, () => released.push('d'));
    two.end(0);
    // Frames of several lanes are copied into the merge's arena: a chunk goes back once copied whole.
    const b = two.take(0)!;
    expect(b.count).toBe(3);
    expect(released).toEqual(['a', 'b', 'c', 'd']);
    two.push(1, new Uint8Array(0), new Uint32Array(0), true, undefined, () => released.push('empty'));
    expect(released.at(-1)).toBe('empty');
  });

  it('orders frames of several interfaces by timestamp, seconds before nanoseconds', () => {
    const m = new TimelineMerge(ifs(2));
    m.push(0, ...chunk(1, [[10, 900], [11, 5], [11, 50]]));
    m.push(1, ...chunk(2, [[10, 950], [11, 1], [11, 60]]));
    m.end(0);
    m.end(1);
    expect(drain(m, 0)).toEqual([
      [0, 10, 900, 1],
      [1, 10, 950, 2],
      [1, 11, 1, 2],
      [0, 11, 5, 1],
      [0, 11, 50, 1],
      [1, 11, 60, 2],
    ]);
    expect(m.drained).toBe(true);
  });

  it('a chunk begun while several lanes were live passes on from its first untaken frame once it is the last lane', () => {
    const m = new TimelineMerge(ifs(2));
    m.push(0, ...chunk(1, [[10, 1], [10, 3], [10, 5]]));
    m.push(1, ...chunk(2, [[10, 2]]));
    // Lane 1 is drained but live: lane 0's frames after it wait for it.
    expect(drain(m, 0)).toEqual([[0, 10, 1, 1], [1, 10, 2, 2]]);
    m.end(1);
    expect(drain(m, 0)).toEqual([[0, 10, 3, 1], [0, 10, 5, 1]]);
    expect(m.drained).toBe(false);
    expect(m.queuedBytes).toBe(0);
  });

  it('holds a chunk pushed with its arrival time from then, whatever its timestamps', () => {
    const m = new TimelineMerge(ifs(2));
    m.push(0, ...chunk(1, [[10, 1]]), false, 50_000);
    expect(m.heldSinceMs()).toBe(50_000);
    // Its timestamp (10 s after the epoch) is long past the cutoff; its arrival is not.
    expect(m.take(49_999)).toBeNull();
    expect(drain(m, 50_000)).toEqual([[0, 10, 1, 1]]);
  });

  it('holds frames while another live interface is silent, until the cutoff passes them', () => {
    const m = new TimelineMerge(ifs(2));
    m.push(0, ...chunk(1, [[100, 0], [101, 0]]));
    expect(m.take(99_000)).toBeNull();
    expect(m.heldSinceMs()).toBe(100_000);
    // An earlier frame from the silent interface arrives in time: it goes first.
    m.push(1, ...chunk(2, [[99, 500]]));
    expect(drain(m, 99_000).map((f) => f[0])).toEqual([1]);
    // The silent interface stays silent: the window releases what is older than the cutoff only.
    expect(drain(m, 100_500).map((f) => f[1])).toEqual([100]);
    expect(m.heldSinceMs()).toBe(101_000);
  });

  it('lets an ended interface hold nothing back', () => {
    const m = new TimelineMerge(ifs(2));
    m.push(0, ...chunk(1, [[100, 0]]));
    m.end(1);
    expect(drain(m, 0)).toHaveLength(1);
    expect(m.drained).toBe(false);
    m.end(0);
    expect(m.drained).toBe(true);
  });

  it('copies frames bigger than the merge arena and large frames intact', () => {
    const m = new TimelineMerge(ifs(2));
    m.push(0, ...chunk(3, [[1, 1]], 2_000_000));
    m.push(1, ...chunk(4, [[1, 2]], 300));
    m.end(0);
    m.end(1);
    const b = m.take(0)!;
    expect(b.count).toBe(2);
    expect(b.capLen[0]).toBe(2_000_000);
    expect(frameBytes(b, 0).every((x) => x === 3)).toBe(true);
    expect(b.capLen[1]).toBe(300);
    expect(frameBytes(b, 1).every((x) => x === 4)).toBe(true);
    expect(m.drained).toBe(true);
  });

  it('takes a lane added later into the same timeline, its entry in the batches’ interfaces', () => {
    const interfaces = ifs(1);
    const m = new TimelineMerge(interfaces);
    const [arena, headers] = chunk(1, [[10, 0], [10, 100]]);
    m.push(0, arena, headers);
    const first = m.take(0)!;
    expect(first.data).toBe(arena); // one lane: still passed through
    const seenBefore = first.interfaces;

    expect(m.addLane({ linkType: 1, snapLen: 65535, name: 'late' })).toBe(1);
    expect(interfaces.map((i) => [i.id, i.name])).toEqual([[0, 'if0'], [1, 'late']]);
    expect(seenBefore).toBe(interfaces); // the list batches carry is the growing one
    // The new lane is live and silent: lane 0's frame waits for it until the cutoff.
    m.push(0, ...chunk(1, [[10, 500], [11, 0]]));
    expect(m.take(0)).toBeNull();
    expect(m.heldSinceMs()).toBe(10_000.0005);
    m.push(1, ...chunk(2, [[10, 200], [10, 600]]));
    m.end(0);
    m.end(1);
    const batch = m.take(0)!;
    expect(batch.interfaces[1].name).toBe('late');
    expect(drainFrom(batch)).toEqual([
      [1, 10, 200, 2],
      [0, 10, 500, 1],
      [1, 10, 600, 2],
      [0, 11, 0, 1],
    ]);
    expect(m.drained).toBe(true);
  });

  it('passes the one lane left through without copying once the others ended and drained', () => {
    const m = new TimelineMerge(ifs(2));
    m.push(0, ...chunk(1, [[5, 0]]));
    m.end(0);
    expect(m.take(0)).toBeNull(); // lane 1 still live and silent: lane 0's frame waits
    m.end(1);
    expect(drain(m, 0)).toEqual([[0, 5, 0, 1]]);
    m.addLane({ linkType: 1, snapLen: 65535, name: 'restarted' });
    const [arena, headers] = chunk(9, [[6, 0], [6, 1]]);
    m.push(2, arena, headers);
    const b = m.take(0)!;
    expect(b.data).toBe(arena);
    expect(Array.from(b.ifIndex.subarray(0, b.count))).toEqual([2, 2]);
  });

  it('starts with no lane and is drained until one is added', () => {
    const interfaces = ifs(0);
    const m = new TimelineMerge(interfaces);
    expect(m.drained).toBe(true);
    expect(m.take(Infinity)).toBeNull();
    m.addLane({ linkType: 1, snapLen: 65535, name: 'first' });
    expect(m.drained).toBe(false);
    m.push(0, ...chunk(5, [[3, 3]]));
    const b = m.take(0)!;
    expect([b.count, b.ifIndex[0], b.interfaces[0].name]).toEqual([1, 0, 'first']);
  });
});

function drainFrom(b: ReturnType<TimelineMerge['take']> & object): Array<[number, number, number, number]> {
  return Array.from({ length: b.count }, (_, i) => [b.ifIndex[i], b.tsSec[i], b.tsNsec[i], frameBytes(b, i)[0]] as [number, number, number, number]);
}
