/**
 * Exact conversion of a 64-bit tick count (pcapng `hi * 2^32 + lo` at some resolution) into
 * whole seconds and nanoseconds. A double holds ns since the epoch only for about 104 days, so
 * the common resolutions (any 10^-k with k <= 9, which divide a second into whole nanoseconds)
 * are split with exact integer arithmetic on doubles; anything else (powers of 2, 10^-12) goes
 * through BigInt once per frame, as Wireshark truncates: nsec = floor(rem * 1e9 / ticksPerSec).
 */
export interface TickResolution {
  ticksPerSec: number;
  /** ns per tick when ticksPerSec divides 1e9, else 0 (slow path). */
  nsPerTick: number;
  bigTicksPerSec: bigint;
  /** if_tsoffset: seconds added to every timestamp. */
  offsetSec: number;
}

export interface SecNsec {
  sec: number;
  nsec: number;
}

const TWO16 = 65536;
const TWO20 = 2 ** 20;
const TWO32 = 2 ** 32;

export function tickResolution(tsresol: number, offsetSec = 0): TickResolution {
  const power = tsresol & 0x7f;
  const big = tsresol & 0x80 ? 1n << BigInt(power) : 10n ** BigInt(power);
  const nsPerTick = big <= 1_000_000_000n && 1_000_000_000n % big === 0n ? Number(1_000_000_000n / big) : 0;
  return { ticksPerSec: Number(big), nsPerTick, bigTicksPerSec: big, offsetSec };
}

/** Writes the time of `hi * 2^32 + lo` ticks into `out` (a caller-owned scratch, no allocation). */
export function ticksToTime(hi: number, lo: number, r: TickResolution, out: SecNsec): void {
  if (r.nsPerTick === 0) {
    const ticks = (BigInt(hi) << 32n) | BigInt(lo);
    const rem = ticks % r.bigTicksPerSec;
    out.sec = Number(ticks / r.bigTicksPerSec) + r.offsetSec;
    out.nsec = Number((rem * 1_000_000_000n) / r.bigTicksPerSec);
    return;
  }
  const t = r.ticksPerSec;
  if (hi < TWO20) {
    // Below 2^52 ticks (µs until 2112) the count and its quotient are exact in doubles.
    const ticks = hi * TWO32 + lo;
    const sec = Math.floor(ticks / t);
    out.sec = sec + r.offsetSec;
    out.nsec = (ticks - sec * t) * r.nsPerTick;
    return;
  }
  // hi * 2^32 = (hi * 2^16) * 2^16, each partial product below 2^53 when ticksPerSec <= 1e9.
  const a = hi * TWO16;
  const qa = Math.floor(a / t);
  const b = (a - qa * t) * TWO16;
  const qb = Math.floor(b / t);
  const c = b - qb * t + lo;
  const qc = Math.floor(c / t);
  out.sec = qa * TWO16 + qb + qc + r.offsetSec;
  out.nsec = (c - qc * t) * r.nsPerTick;
}
