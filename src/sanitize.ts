/**
 * The one escaper for everything on its way to a terminal (stdout, stderr, the UI). It sits below
 * every pipeline layer (beside errors.ts), so the layers that build messages and names for a
 * terminal (docker's topology view and target errors) use it as present does; analysis findings stay raw and are escaped where they are printed. Anything that
 * came from the network, a file, a file name or Docker (container names, labels, payload bytes,
 * error messages quoting them) may hold terminal escape sequences or reorder text. What a
 * terminal acts on is shown escaped (\x1b, \n, \u202e ...), never emitted: C0, DEL, C1, the bidi
 * marks, embeddings, overrides and isolates, and the Unicode line and paragraph separators.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// The same set without C0, which JSON.stringify already writes as escapes.
const UNSAFE_IN_JSON = /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function sanitize(text: string): string {
  if (!UNSAFE.test(text)) return text;
  UNSAFE.lastIndex = 0;
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Text of several lines (a stack, a usage message): each line escaped, the line breaks kept. */
export function sanitizeLines(text: string): string {
  return text.split('\n').map(sanitize).join('\n');
}

/**
 * JSON text made safe to print: what `sanitize` escapes becomes `\uXXXX`, so the JSON stays valid
 * and parses back to the same value. Only string contents can hold such characters.
 */
export function escapeJson(json: string): string {
  if (!UNSAFE_IN_JSON.test(json)) return json;
  UNSAFE_IN_JSON.lastIndex = 0;
  return json.replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// What JSON.stringify escapes in a string (quote, backslash, C0, lone surrogates) or escapeJson does.
// eslint-disable-next-line no-control-regex
const NOT_PLAIN_IN_JSON = /["\\\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]/;

/**
 * A string as JSON text safe to print: escapeJson(JSON.stringify(text)), quoted as it is when none
 * of its characters needs an escape (the common case, and a per-frame cost in NDJSON).
 */
export function jsonString(text: string): string {
  return NOT_PLAIN_IN_JSON.test(text) ? escapeJson(JSON.stringify(text)) : `"${text}"`;
}

/** Printable ASCII for a hex dump's right-hand column. */
export function asciiByte(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
}
