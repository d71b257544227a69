/**
 * pcapng options are `code:u16 length:u16 value` padded to 4 bytes, ended by code 0 or by the
 * end of the block. Only non-frame blocks (and packet blocks that carry options, which is rare)
 * pay for this walk.
 */
const OPT_END = 0;
export const OPT_COMMENT = 1;

export type OptionVisitor = (code: number, valueAt: number, length: number) => void;

/** Visits the options in `[from, to)`; a malformed length stops the walk rather than failing. */
export function forEachOption(view: DataView, from: number, to: number, le: boolean, visit: OptionVisitor): void {
  let at = from;
  while (at + 4 <= to) {
    const code = view.getUint16(at, le);
    const length = view.getUint16(at + 2, le);
    if (code === OPT_END || at + 4 + length > to) return;
    visit(code, at + 4, length);
    at += 4 + pad4(length);
  }
}

export function pad4(n: number): number {
  return (n + 3) & ~3;
}

const utf8 = new TextDecoder('utf-8');

/** Option strings are UTF-8; some writers include a terminating NUL, which is not text. */
export function optionString(bytes: Uint8Array, at: number, length: number): string {
  let end = at + length;
  while (end > at && bytes[end - 1] === 0) end--;
  return utf8.decode(bytes.subarray(at, end));
}
