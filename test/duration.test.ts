import { describe, expect, it } from 'vitest';
import { formatMs, msDigits, parseDuration, spanText } from '../src/duration.js';
import { duration } from '../src/cli/options.js';

describe('durations (src/duration.ts)', () => {
  it('parses what flags and expectations write, in nanoseconds', () => {
    expect(parseDuration('250us')).toBe(250_000);
    expect(parseDuration('1.5s')).toBe(1_500_000_000);
    expect(parseDuration('2m')).toBe(120e9);
    expect(parseDuration('10')).toBeUndefined();
    expect(parseDuration('10', 's')).toBe(10e9);
    expect(parseDuration('10 s')).toBeUndefined();
    expect(parseDuration('-1s')).toBeUndefined();
  });

  it('gives the CLI milliseconds, a bare number in seconds, and names the flag otherwise', () => {
    const d = duration('--duration');
    expect(d(' 500ms ')).toBe(500);
    expect(d('10')).toBe(10_000);
    expect(() => d('soon')).toThrow("--duration expects a duration like 10s, 500ms or 2m, got 'soon'");
  });

  it('writes milliseconds two ways and spans in their own unit', () => {
    expect(formatMs(1_234_567)).toBe('1.23 ms');
    expect(formatMs(250_400_000)).toBe('250 ms');
    expect(msDigits(123_456)).toBe('0.123');
    expect(spanText(800)).toBe('800 ns');
    expect(spanText(12_400)).toBe('12 µs');
    expect(spanText(1_234_000)).toBe('1.234 ms');
  });
});
