import { parseDuration } from '../duration.js';
import { UsageError } from '../errors.js';

/** commander argParsers that name the flag in their one-line error. */
export function positiveInt(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} expects a positive whole number, got '${value}'`);
    return n;
  };
}

export function positiveNumber(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} expects a positive number, got '${value}'`);
    return n;
  };
}

/** "10", "10s", "500ms", "2m" -> milliseconds. */
export function duration(flag: string): (value: string) => number {
  return (value) => {
    const ns = parseDuration(value.trim(), 's');
    if (ns === undefined) throw new UsageError(`${flag} expects a duration like 10s, 500ms or 2m, got '${value}'`);
    return ns / 1e6;
  };
}
