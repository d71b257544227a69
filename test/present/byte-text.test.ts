import { describe, expect, it } from 'vitest';
import { ByteText } from '../../src/present/byte-text.js';

const written = (write: (o: ByteText) => void): string => {
  const o = new ByteText();
  write(o);
  return o.take().toString('latin1');
};

describe('ByteText numbers', () => {
  it('writes every digit count as JSON does, and JSON.stringify past the unsigned 32-bit integers', () => {
    const xs = [0, 1, 9, 10, 99, 100, 101, 999, 1000, 65535, 99999, 100000, 1e6 - 1, 1e6, 12345678, 99999999, 1e8, 999999999, 1e9, 4294967295,
      4294967296, -1, 1.5, Number.NaN, 2 ** 53];
    for (const x of xs) expect(written((o) => o.number(x))).toBe(JSON.stringify(x));
  });

  it('pads to the width asked for, odd and even', () => {
    expect(written((o) => o.padded(0, 9))).toBe('000000000');
    expect(written((o) => o.padded(977351000, 9))).toBe('977351000');
    expect(written((o) => o.padded(7, 9))).toBe('000000007');
    expect(written((o) => o.padded(42, 2))).toBe('42');
    expect(written((o) => o.padded(5, 1))).toBe('5');
    expect(written((o) => o.padded(123, 4))).toBe('0123');
  });

  it('copies what was written from a point on', () => {
    const o = new ByteText();
    o.ascii('abc');
    o.ascii('defg');
    const into = new Uint8Array(6);
    o.copyTo(3, into, 1);
    expect(o.length).toBe(7);
    expect(Buffer.from(into).toString('latin1')).toBe('\0defg\0');
  });
});
