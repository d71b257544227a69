import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { corpusDir, corpusPresent } from '../support/corpus.js';

const captures = fileURLToPath(new URL('../../captures/', import.meta.url));
/** Larger files slow every run without reaching code the small ones do not. */
const MAX_SEED_BYTES = 64 * 1024;

function captureFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => /\.pcap(ng)?$/.test(f)).map((f) => join(dir, f)).filter((p) => statSync(p).size <= MAX_SEED_BYTES);
}

/** The inputs mutation starts from: the shipped captures and the public corpus, when present. */
export const seedFiles: { name: string; bytes: Uint8Array }[] = [
  ...captureFiles(captures),
  ...(corpusPresent ? captureFiles(corpusDir) : []),
].sort().map((p) => ({ name: p, bytes: new Uint8Array(readFileSync(p)) }));

/** Values that sit on the edges of length and id fields. */
const EDGE_U32 = [0, 1, 2, 3, 4, 7, 8, 12, 16, 20, 28, 32, 64, 255, 256, 1500, 65535, 65536, 70000, 0x7fffffff, 0x80000000, 0xffffffff];

type Mutation =
  | { kind: 'set'; at: number; value: number }
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'u32'; at: number; value: number; le: boolean }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'truncate'; at: number };

const at = fc.nat();
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at, value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('flip' as const), at, bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('u32' as const), at, value: fc.constantFrom(...EDGE_U32), le: fc.boolean() }),
  fc.record({ kind: fc.constant('insert' as const), at, bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({ kind: fc.constant('delete' as const), at, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at }),
);

export function mutate(input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let b = input;
  for (const m of mutations) {
    if (b.length === 0) break;
    const i = m.at % b.length;
    switch (m.kind) {
      case 'set':
        b = b.slice();
        b[i] = m.value;
        break;
      case 'flip':
        b = b.slice();
        b[i] ^= 1 << m.bit;
        break;
      case 'u32': {
        b = b.slice();
        const v = m.value;
        const bytes = [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24];
        if (!m.le) bytes.reverse();
        for (let k = 0; k < 4 && i + k < b.length; k++) b[i + k] = bytes[k];
        break;
      }
      case 'insert': {
        const out = new Uint8Array(b.length + m.bytes.length);
        out.set(b.subarray(0, i));
        out.set(m.bytes, i);
        out.set(b.subarray(i), i + m.bytes.length);
        b = out;
        break;
      }
      case 'delete': {
        const n = Math.min(m.length, b.length - i);
        const out = new Uint8Array(b.length - n);
        out.set(b.subarray(0, i));
        out.set(b.subarray(i + n), i);
        b = out;
        break;
      }
      case 'truncate':
        b = b.subarray(0, i);
        break;
    }
  }
  return b;
}

/** A seed file with a few mutations applied. */
export const mutatedFile: fc.Arbitrary<Uint8Array> = fc
  .record({ seed: fc.integer({ min: 0, max: Math.max(0, seedFiles.length - 1) }), mutations: fc.array(mutation, { maxLength: 6 }) })
  .map(({ seed, mutations }) => mutate(seedFiles[seed].bytes, mutations));

export { mutation };
