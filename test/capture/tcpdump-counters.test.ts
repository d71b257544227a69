import { describe, expect, it } from 'vitest';
import { readTcpdumpCounter } from '../../src/capture/tcpdump-counters.js';

describe('readTcpdumpCounter', () => {
  it('reads each counter line, singular or plural, and nothing else', () => {
    const c = { received: 0, droppedByKernel: 0, droppedByInterface: 0 };
    expect(readTcpdumpCounter('12 packets received by filter', c)).toBe(true);
    expect(readTcpdumpCounter('1 packet dropped by kernel', c)).toBe(true);
    expect(readTcpdumpCounter('3 packets dropped by interface', c)).toBe(true);
    expect(readTcpdumpCounter('5 packets captured', c)).toBe(false);
    expect(readTcpdumpCounter('tcpdump: listening on eth0', c)).toBe(false);
    expect(c).toEqual({ received: 12, droppedByKernel: 1, droppedByInterface: 3 });
  });
});
