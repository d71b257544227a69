import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { noNames } from '../../src/model/endpoint.js';
import { checkProperty, fuzzTimeout } from './fuzz-run.js';
import { generatedPcapng } from './pcapng-gen.js';
import { RAW_CONTROL, runPipeline, type Shape } from './pipeline.js';
import { mutatedFile, seedFiles } from './seeds.js';

const shape: fc.Arbitrary<Shape> = fc.record({
  pieces: fc.array(fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 17, max: 70_000 })), { minLength: 1, maxLength: 4 }),
  chunkBytes: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 65, max: 1 << 20 })),
  batchFrames: fc.integer({ min: 1, max: 64 }),
});

/** Reading ends normally or with a typed file error, and every output is printable. */
async function holds(bytes: Uint8Array, s: Shape): Promise<void> {
  const out = await runPipeline(bytes, s, noNames);
  for (const t of [out.text, out.summary]) expect(t).not.toMatch(RAW_CONTROL);
  for (const line of out.ndjson.split('\n').filter(Boolean)) {
    JSON.parse(line);
    expect(line).not.toMatch(RAW_CONTROL);
  }
}

describe('fuzz: whole files through reader, decoder, analyzer and every presenter', () => {
  it('has seeds to mutate', () => {
    expect(seedFiles.length).toBeGreaterThan(0);
  });

  it('mutated seed files: no exception but a typed file error, no raw control character out', async () => {
    await checkProperty('mutated-file', fc.asyncProperty(fc.tuple(mutatedFile, shape), ([bytes, s]) => holds(bytes, s)), 150, ([b]) => b);
  }, fuzzTimeout);

  it('pcapng built from its grammar (huge NRBs, many comments, custom blocks): the same', async () => {
    await checkProperty('generated-pcapng', fc.asyncProperty(fc.tuple(generatedPcapng, shape), ([bytes, s]) => holds(bytes, s)), 60, ([b]) => b);
  }, fuzzTimeout);
});
