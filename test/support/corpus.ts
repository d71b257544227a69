import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

/**
 * The public conformance corpus lives beside the repository (../shared/corpus), or where
 * $BRIDGESCOPE_CORPUS says. CI always has it; a laptop clone may not, and then corpus suites skip
 * with the reason, except under BRIDGESCOPE_REQUIRE_LIVE=1, where a missing corpus fails.
 */
export const corpusDir = process.env.BRIDGESCOPE_CORPUS ?? fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
export const corpusPresent = existsSync(join(corpusDir, 'reference', 'INDEX.tsv'));
const requireLive = process.env.BRIDGESCOPE_REQUIRE_LIVE === '1';
const missing = `no corpus at ${corpusDir} (set BRIDGESCOPE_CORPUS)`;

/** `describe` over the corpus: skips with the reason when it is absent, fails instead in CI. */
export function describeCorpus(name: string, body: () => void): void {
  if (corpusPresent) describe(name, body);
  else if (requireLive) {
    describe(name, () => {
      it('has the corpus (BRIDGESCOPE_REQUIRE_LIVE=1)', () => {
        throw new Error(`${name}: ${missing}`);
      });
    });
  } else describe.skip(`${name} (skipped: ${missing})`, body);
}

/** `it` over the corpus, with the same rule. */
export function itCorpus(name: string, fn: () => Promise<void> | void, timeout?: number): void {
  if (corpusPresent) it(name, fn, timeout);
  else if (requireLive) {
    it(name, () => {
      throw new Error(`${name}: ${missing}`);
    });
  } else it.skip(`${name} (skipped: ${missing})`, fn);
}

export interface TsharkTable {
  header: string[];
  rows: Record<string, string>[];
}

/** reference/<file>.tsv: tshark -T fields output with a header row. */
export function tsharkFields(file: string): TsharkTable {
  const lines = readFileSync(join(corpusDir, 'reference', `${file}.tsv`), 'utf8').split('\n').filter((l) => l !== '');
  const header = lines[0].split('\t');
  const rows = lines.slice(1).map((l) => {
    const cells = l.split('\t');
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
  return { header, rows };
}

/** Files listed in reference/INDEX.tsv with tshark's exit status. */
export function corpusIndex(): { file: string; tsharkExit: number; rows: number }[] {
  return readFileSync(join(corpusDir, 'reference', 'INDEX.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l !== '')
    .map((l) => {
      const [file, tsharkExit, , rows] = l.split('\t');
      return { file, tsharkExit: Number(tsharkExit), rows: Number(rows) };
    });
}
