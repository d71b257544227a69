/**
 * Wall-clock text for frame timestamps, local time like tcpdump (TZ applies). The "HH:MM:SS"
 * prefix is cached per second, so consecutive frames cost one string concat, not a Date.
 */
export class FrameClock {
  private lastSec = Number.NaN;
  private prefix = '';

  constructor(
    private readonly digits: 6 | 9 = 6,
    private readonly withDate = false,
  ) {}

  format(tsSec: number, tsNsec: number): string {
    if (tsSec !== this.lastSec) {
      this.lastSec = tsSec;
      const d = new Date(tsSec * 1000);
      const hms = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
      this.prefix = this.withDate ? `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${hms}` : hms;
    }
    const frac = this.digits === 9 ? tsNsec : Math.floor(tsNsec / 1000);
    return `${this.prefix}.${String(frac).padStart(this.digits, '0')}`;
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Seconds as text with nanosecond digits, exact (no float rounding): "1700000000.000000123". */
export function epochText(tsSec: number, tsNsec: number): string {
  return `${tsSec}.${String(tsNsec).padStart(9, '0')}`;
}
