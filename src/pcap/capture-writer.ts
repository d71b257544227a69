import { BridgescopeError } from '../errors.js';
import type { CaptureStats, FrameBatch, OwnedFrame } from '../source/frame-batch.js';

/**
 * What every capture writer offers. Each call writes its frames to the file before returning, so
 * a process killed between calls leaves a readable file.
 */
export interface CaptureWriter {
  readonly path: string;
  readonly framesWritten: number;
  /**
   * Writes every frame of the batch (it is not kept: the batch may be reused after the call).
   * `commentOf(i)` gives frame i an opt_comment in pcapng; pcap has nowhere to put it.
   */
  writeBatch(batch: FrameBatch, commentOf?: (i: number) => string | undefined): void;
  /** Writes one frame; `comments` become opt_comment in pcapng and are dropped by pcap. */
  writeFrame(frame: OwnedFrame, comments?: string[]): void;
  /** pcapng writes an ISB per named interface from `stats`; pcap has nowhere to put them. */
  close(stats?: CaptureStats[]): void;
}

const TWO23 = 1 << 23;
const TWO32 = 2 ** 32;

/**
 * Nanoseconds since the epoch as the two u32 halves pcapng stores, without BigInt for the range
 * 1970..2106: sec * 1e9 = (sec * 1953125) * 2^9 and sec * 1953125 < 2^53.
 */
export function nsTicks(sec: number, nsec: number, out: { hi: number; lo: number }): void {
  if (sec < 0 || sec >= TWO32) {
    const t = BigInt(sec) * 1_000_000_000n + BigInt(nsec);
    if (t < 0n || t >= 1n << 64n) throw timeOutOfRange(sec, 'pcapng (unsigned 64-bit nanoseconds)');
    out.hi = Number(t >> 32n);
    out.lo = Number(t & 0xffffffffn);
    return;
  }
  const m = sec * 1953125;
  const high = Math.floor(m / TWO23);
  const lo = (m - high * TWO23) * 512 + nsec;
  const carry = Math.floor(lo / TWO32);
  out.hi = high + carry;
  out.lo = lo - carry * TWO32;
}

/** A frame time the file format cannot hold (before 1970, or past its last representable second). */
export function timeOutOfRange(sec: number, format: string): BridgescopeError {
  return new BridgescopeError('BS_PCAP_TIME_OUT_OF_RANGE', `frame time ${sec} s does not fit in ${format}`);
}
