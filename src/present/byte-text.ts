const EMPTY = Buffer.alloc(0);
/** See `full`. */
const FULL = 192 << 10;

/** "00" to "99", two ASCII digits each: a number is written two digits per division. */
const DIGIT_PAIRS = Uint8Array.from({ length: 200 }, (_, k) => 48 + ((k & 1) ? (k >> 1) % 10 : Math.floor((k >> 1) / 10)));

/** Decimal digits of an integer in [0, 2^32). */
function digitCount(x: number): number {
  if (x < 1e5) return x < 10 ? 1 : x < 100 ? 2 : x < 1000 ? 3 : x < 1e4 ? 4 : 5;
  return x < 1e6 ? 6 : x < 1e7 ? 7 : x < 1e8 ? 8 : x < 1e9 ? 9 : 10;
}

/**
 * A batch's output as UTF-8 bytes, outside the JS heap, appended piece by piece. Concatenating a
 * batch's lines into one string kept every line (and its rope of pieces) alive until the write,
 * so the young generation copied and promoted them all, and the write then encoded the whole
 * string again: GC and the encode were over half of `replay --json`'s time. Presenters write
 * their fixed text and numbers here byte by byte, and what comes from names or the wire as UTF-8.
 */
export class ByteText {
  /**
   * The size the last batch took: a batch's text is about the same size as the one before, so a
   * new or emptied ByteText starts at it rather than growing (and copying) its way up again.
   */
  private static sizeHint = 1 << 16;
  private buf = EMPTY;
  private pos = 0;

  /** Any text, as UTF-8. */
  text(s: string): void {
    // A UTF-16 code unit is at most 3 bytes of UTF-8.
    this.room(s.length * 3);
    this.pos += this.buf.write(s, this.pos);
  }

  /** Text known to be ASCII (keys, digits, addresses): copied a code unit a byte, no encoder call. */
  ascii(s: string): void {
    const n = s.length;
    this.room(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** Pre-encoded bytes (a constant chunk, a cached address or name): one copy. */
  bytes(u8: Uint8Array): void {
    const n = u8.length;
    this.room(n);
    // set() has a fixed cost that is most of a key's copy: a short chunk is copied by a loop.
    if (n > 32) this.buf.set(u8, this.pos);
    else {
      const b = this.buf;
      const p = this.pos;
      for (let k = 0; k < n; k++) b[p + k] = u8[k];
    }
    this.pos += n;
  }

  /** A number as JSON writes it (digits for the unsigned 32-bit integers wire fields are; null for NaN). */
  number(x: number): void {
    if (!(x >= 0 && x < 0x1_0000_0000 && x === Math.floor(x))) {
      this.ascii(JSON.stringify(x));
      return;
    }
    this.padded(x, digitCount(x));
  }

  /** `x` as exactly `width` digits, zero-padded (x an integer in [0, 10^width)), two at a time. */
  padded(x: number, width: number): void {
    this.room(width);
    const b = this.buf;
    const start = this.pos;
    let p = start + width;
    this.pos = p;
    while (p - start >= 2) {
      const q = Math.floor(x / 100);
      const pair = (x - q * 100) << 1;
      b[--p] = DIGIT_PAIRS[pair + 1];
      b[--p] = DIGIT_PAIRS[pair];
      x = q;
    }
    if (p > start) b[--p] = 48 + x;
  }

  /** Bytes written so far (where the next one goes). */
  get length(): number {
    return this.pos;
  }

  /** Copies the bytes written from `from` on into `target` at `at` (a cache keeping what was written). */
  copyTo(from: number, target: Uint8Array, at: number): void {
    this.buf.copy(target, at, from, this.pos);
  }

  /**
   * Enough for one buffer: the writer sets these bytes aside (take) before the next line. Buffers
   * of a whole batch (5 MB of NDJSON) were fresh memory each time, whose page faults cost about as
   * much as writing the lines; malloc hands buffers of this size out again.
   */
  get full(): boolean {
    return this.pos >= FULL;
  }

  /** The bytes written so far, to hand to a stream (which keeps them): the next ones go elsewhere. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    ByteText.sizeHint = Math.max(1 << 16, this.buf.length);
    // The next buffer is made when something is written: a batch's ByteText is taken once and dropped.
    this.buf = EMPTY;
    this.pos = 0;
    return out;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, ByteText.sizeHint, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }
}

/**
 * ASCII text encoded once, at module load, for the constant pieces of a line (keys, punctuation):
 * written with one copy instead of a loop over its characters, which was a fifth of NDJSON's time.
 */
export function asciiChunk(s: string): Uint8Array {
  return Buffer.from(s, 'latin1');
}
