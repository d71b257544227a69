/**
 * Durations, in one place: parsed from the text people write (flags, expectations) and written
 * back for them. Inside the program a duration is nanoseconds (frame times are), except where a
 * caller converts at its edge (timers take milliseconds).
 */

const UNIT_NS = { us: 1e3, ms: 1e6, s: 1e9, m: 60e9 } as const;
type Unit = keyof typeof UNIT_NS;

/**
 * "2s", "500ms", "1.5s", "250us", "2m" as nanoseconds; undefined when not a duration. A bare number
 * is one only when the caller names its unit (`--duration 10` means seconds; an expectation
 * always writes its unit).
 */
export function parseDuration(text: string, bareUnit?: Unit): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(us|ms|s|m)?$/.exec(text);
  if (!m) return undefined;
  const unit = (m[2] as Unit | undefined) ?? bareUnit;
  return unit === undefined ? undefined : Math.round(Number(m[1]) * UNIT_NS[unit]);
}

/** For findings and reports: three significant digits, whole ms from 100 up ("1.23 ms", "250 ms"). */
export function formatMs(ns: number): string {
  const ms = ns / 1e6;
  return ms >= 100 ? `${Math.round(ms)} ms` : `${Number(ms.toPrecision(3))} ms`;
}

/** Milliseconds with microsecond digits and no unit ("0.123"), the fixed-width form of tables and rtt suffixes. */
export function msDigits(ns: number): string {
  return (ns / 1e6).toFixed(3);
}

/** A span in the unit that reads best: "800 ns", "12 µs", "1.234 ms". */
export function spanText(ns: number): string {
  if (ns < 1000) return `${ns} ns`;
  if (ns < 1e6) return `${Math.round(ns / 1000)} µs`;
  return `${msDigits(ns)} ms`;
}
