import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

/**
 * One switch between the bounded run in `npm test` (fixed seed, few runs, so CI is repeatable and
 * short) and `npm run fuzz` (FUZZ_RUNS many runs, a fresh seed unless FUZZ_SEED is given, and every
 * shrunk counterexample written to FUZZ_REPRODUCERS with the seed and path that replay it).
 */
const runsOverride = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : undefined;
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : runsOverride ? Date.now() | 0 : 0x5eed;
const reproducers = process.env.FUZZ_REPRODUCERS;

export const fuzzLong = runsOverride !== undefined;

/** Test timeout for a property: a long run gets what it needs, the CI run stays short. */
export const fuzzTimeout = fuzzLong ? 24 * 3600_000 : 60_000;

/**
 * Runs `property` and fails with fast-check's report (seed, path, shrunk counterexample).
 * `dump` turns a counterexample into the bytes of a reproducer file (a capture, a frame).
 */
export async function checkProperty<T>(
  name: string,
  property: fc.IAsyncPropertyWithHooks<[T]> | fc.IPropertyWithHooks<[T]>,
  ciRuns: number,
  dump?: (value: T) => Uint8Array,
): Promise<void> {
  const details = await fc.check(property as fc.IAsyncProperty<[T]>, { seed, numRuns: runsOverride ?? ciRuns, endOnFailure: false });
  if (!details.failed) return;
  if (reproducers && details.counterexample) {
    mkdirSync(reproducers, { recursive: true });
    const base = join(reproducers, `${name}-seed${details.seed}`);
    const [value] = details.counterexample;
    if (dump) writeFileSync(`${base}.bin`, dump(value));
    writeFileSync(`${base}.json`, JSON.stringify({
      property: name,
      seed: details.seed,
      path: details.counterexamplePath,
      replay: `FUZZ_SEED=${details.seed} npx vitest run test/fuzz (path ${details.counterexamplePath})`,
      error: String(details.errorInstance ?? ''),
    }, null, 2));
  }
  const shown = details.counterexample ? fc.stringify(details.counterexample).slice(0, 400) : '';
  throw new Error(`property ${name} failed after ${details.numRuns} runs (seed ${details.seed}, path "${details.counterexamplePath}", ` +
    `replay with FUZZ_SEED=${details.seed}): ${String(details.errorInstance)}\ncounterexample (shrunk ${details.numShrinks} times): ${shown}`);
}
