import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The public conformance corpus lives beside the repository (../shared/corpus), or where
 * $BRIDGESCOPE_CORPUS says. CI always has it; a laptop clone may not, and then corpus suites skip.
 */
export const corpusDir = process.env.BRIDGESCOPE_CORPUS ?? fileURLToPath(new URL('../../../shared/corpus', import.meta.url));
export const corpusPresent = existsSync(join(corpusDir, 'reference', 'INDEX.tsv'));

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
