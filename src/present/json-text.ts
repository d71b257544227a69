import { escapeJson } from './sanitize.js';

/**
 * One JSON value as text safe to print. JSON.stringify escapes only C0, so DEL, C1 (U+009B is a
 * CSI), bidi controls and U+2028/U+2029 from names and interfaces are escaped as \uXXXX too: the
 * text stays valid JSON, parses back to the same value, and cannot drive a terminal it is shown on.
 */
export function jsonText(value: unknown): string {
  return escapeJson(JSON.stringify(value));
}
