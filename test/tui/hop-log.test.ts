import { describe, expect, it } from 'vitest';
import { HopLog } from '../../src/tui/store/hop-log.js';
import type { FrameBatch } from '../../src/source/frame-batch.js';
import { batchOf, pingExchange } from './frames.js';

/** A batch of two frames as a merge leaves it: frame 0 seen on vethA, br-x and vethB; frame 1 on br-x only. */
function mergedBatch(): FrameBatch {
  const b = batchOf(pingExchange(1).slice(0, 2));
  b.interfaces = [
    { id: 0, linkType: 1, snapLen: 262144, name: 'vethA' },
    { id: 1, linkType: 1, snapLen: 262144, name: 'br-x' },
    { id: 2, linkType: 1, snapLen: 262144, name: 'vethB' },
  ];
  b.hops = {
    count: Uint16Array.of(3, 1),
    start: Uint32Array.of(0, 3),
    ifIndex: Uint32Array.of(0, 1, 2, 1),
    tsSec: Float64Array.of(10, 10, 10, 11),
    tsNsec: Uint32Array.of(1000, 5000, 13_000, 0),
  };
  return b;
}

describe('HopLog', () => {
  it('says where a merged frame was seen, and nothing for frames it does not hold', () => {
    const log = new HopLog(100);
    expect(log.lineOf(0)).toBeUndefined();
    const b = mergedBatch();
    log.record(0, b, 0);
    log.record(1, b, 1);
    log.record(2, batchOf(pingExchange(1).slice(0, 1)), 0);
    expect(log.lineOf(0)).toBe('seen on vethA → br-x → vethB, +12 µs');
    expect(log.lineOf(1)).toBe('seen on br-x');
    expect(log.lineOf(2)).toBeUndefined();
    expect(log.lineOf(100)).toBeUndefined();
  });
});
