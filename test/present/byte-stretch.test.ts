import { describe, expect, it } from 'vitest';
import { ByteStretch } from '../../src/present/byte-stretch.js';
import { ByteText } from '../../src/present/byte-text.js';

/** Writes `text` for key `k` through the stretch: its bytes, and whether they were kept ones. */
function through(s: ByteStretch, o: ByteText, k: number[], text: string): boolean {
  s.key.set(k);
  if (s.copy(o)) return true;
  const at = o.length;
  o.ascii(text);
  s.keep(o, at);
  return false;
}

describe('ByteStretch', () => {
  it('copies the bytes kept for a key, for as many keys as it has ways, and only for the whole key', () => {
    const s = new ByteStretch(2, 2);
    const o = new ByteText();
    expect(through(s, o, [1, 2], 'a')).toBe(false);
    expect(through(s, o, [2, 1], 'b')).toBe(false);
    expect(through(s, o, [1, 2], 'x')).toBe(true);
    expect(through(s, o, [2, 1], 'x')).toBe(true);
    expect(through(s, o, [1, 3], 'c')).toBe(false);
    // [1, 2] was the oldest way: [1, 3] took its place.
    expect(through(s, o, [1, 2], 'd')).toBe(false);
    expect(through(s, o, [1, 3], 'x')).toBe(true);
    expect(o.take().toString('latin1')).toBe('abab' + 'c' + 'd' + 'c');
  });

  it('never matches a way not yet kept, and writes a stretch longer than its room every time', () => {
    const s = new ByteStretch(1, 1, 4);
    const o = new ByteText();
    expect(through(s, o, [Number.NaN], 'n')).toBe(false);
    expect(through(s, o, [0], 'longer')).toBe(false);
    expect(through(s, o, [0], 'again')).toBe(false);
    expect(o.take().toString('latin1')).toBe('nlongeragain');
  });
});
