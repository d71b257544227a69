import { ByteStretch } from './byte-stretch.js';
import type { ByteText } from './byte-text.js';

/**
 * Wall-clock text for frame timestamps, local time like tcpdump (TZ applies). The "HH:MM:SS"
 * prefix is cached per second, so consecutive frames cost one string concat, not a Date.
 */
export class TimestampText {
  private lastSec = Number.NaN;
  private prefix = '';
  /** The prefix and its dot as bytes, for `write`. */
  private readonly prefixBytes = new ByteStretch(1, 1, 64);

  constructor(
    private readonly digits: 6 | 9 = 6,
    private readonly withDate = false,
  ) {}

  format(tsSec: number, tsNsec: number): string {
    return `${this.prefixOf(tsSec)}.${fraction(tsNsec, this.digits)}`;
  }

  /** As `format`, written as bytes. */
  write(o: ByteText, tsSec: number, tsNsec: number): void {
    if (!(tsNsec >= 0 && tsNsec < 1e9 && tsNsec === Math.floor(tsNsec))) {
      o.ascii(this.format(tsSec, tsNsec));
      return;
    }
    const p = this.prefixBytes;
    p.key[0] = tsSec;
    if (!p.copy(o)) {
      const at = o.length;
      o.ascii(`${this.prefixOf(tsSec)}.`);
      p.keep(o, at);
    }
    if (this.digits === 9) o.padded(tsNsec, 9);
    else o.padded(Math.floor(tsNsec / 1000), 6);
  }

  private prefixOf(tsSec: number): string {
    if (tsSec !== this.lastSec) {
      this.lastSec = tsSec;
      const d = new Date(tsSec * 1000);
      if (Number.isNaN(d.getTime())) this.prefix = `${OUT_OF_RANGE_MARK}${wholeSeconds(tsSec)}`;
      else {
        const hms = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
        this.prefix = this.withDate ? `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${hms}` : hms;
      }
    }
    return this.prefix;
  }
}

/**
 * Marks a time `Date` cannot show (beyond about 275,000 years either side of 1970, which a damaged
 * or hostile pcapng reaches with 64-bit ticks): the raw epoch seconds follow, as `date -d @S` reads them.
 */
const OUT_OF_RANGE_MARK = '@';

function fraction(tsNsec: number, digits: 6 | 9): string {
  return String(digits === 9 ? tsNsec : Math.floor(tsNsec / 1000)).padStart(digits, '0');
}

/** Integer seconds as exact digits: past 2^53 a double is still an integer, but prints as 1.8e+19 at 1e21. */
function wholeSeconds(tsSec: number): string {
  return Number.isSafeInteger(tsSec) || !Number.isInteger(tsSec) ? String(tsSec) : BigInt(tsSec).toString();
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Seconds as text with nanosecond digits, exact (no float rounding): "1700000000.000000123". */
export function epochText(tsSec: number, tsNsec: number): string {
  return `${wholeSeconds(tsSec)}.${String(tsNsec).padStart(9, '0')}`;
}
