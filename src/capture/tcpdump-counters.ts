import type { CaptureStats } from '../source/frame-batch.js';

type Counters = Omit<CaptureStats, 'interface'>;

/**
 * Reads one of the counter lines tcpdump writes to standard error when it ends
 * (`12 packets received by filter`) into `into`; false when the line is not one of them.
 */
export function readTcpdumpCounter(line: string, into: Counters): boolean {
  const m = /^(\d+) packets? (received by filter|dropped by kernel|dropped by interface)$/.exec(line);
  if (!m) return false;
  const n = Number(m[1]);
  if (m[2] === 'received by filter') into.received = n;
  else if (m[2] === 'dropped by kernel') into.droppedByKernel = n;
  else into.droppedByInterface = n;
  return true;
}
