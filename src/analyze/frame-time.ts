/**
 * Frame times stay as (seconds, nanoseconds) pairs of numbers: a bigint per frame would allocate,
 * and epoch nanoseconds do not fit a double. Differences are exact for spans under ~104 days.
 */
export function nsBetween(fromSec: number, fromNsec: number, toSec: number, toNsec: number): number {
  return (toSec - fromSec) * 1e9 + (toNsec - fromNsec);
}

export function formatMs(ns: number): string {
  const ms = ns / 1e6;
  return ms >= 100 ? `${Math.round(ms)} ms` : `${Number(ms.toPrecision(3))} ms`;
}
