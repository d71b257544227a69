import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { notice } from '../../src/cli/stderr.js';
import { noNames, type Resolver } from '../../src/model/endpoint.js';
import { META_CAPS, type CaptureFileMeta } from '../../src/pcap/capture-meta.js';
import { checkProperty, fuzzTimeout } from './fuzz-run.js';
import { generatedPcapng } from './pcapng-gen.js';
import { RAW_CONTROL, hostileResolver, hostileText, runPipeline, type Shape } from './pipeline.js';
import { mutatedFile, seedFiles } from './seeds.js';

const shape: fc.Arbitrary<Shape> = fc.record({
  pieces: fc.array(fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 17, max: 70_000 })), { minLength: 1, maxLength: 4 }),
  chunkBytes: fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 65, max: 1 << 20 })),
  batchFrames: fc.integer({ min: 1, max: 64 }),
});

/** What the stderr writer puts on the terminal for `message`. */
function stderrOf(message: string): string {
  let written = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    written += String(chunk);
    return true;
  });
  try {
    notice(message);
  } finally {
    spy.mockRestore();
  }
  return written;
}

/** The metadata a file leaves in memory stays within META_CAPS, whatever the file. */
function bounded(meta: CaptureFileMeta): void {
  expect(meta.frameComments.size).toBeLessThanOrEqual(META_CAPS.frameComments);
  expect(meta.interfaceStats.length).toBeLessThanOrEqual(META_CAPS.interfaceStats);
  expect(meta.nameRecords.length).toBeLessThanOrEqual(META_CAPS.nameRecordBytes / 64);
  expect(meta.customBlocks.reduce((n, c) => n + c.data.length, 0)).toBeLessThanOrEqual(META_CAPS.customBlockBytes);
}

/**
 * Reading ends normally or with a typed file error; text, NDJSON, the summary and the error line
 * on stderr hold no raw control character; NDJSON parses; the metadata kept is bounded.
 */
async function holds(bytes: Uint8Array, s: Shape, resolver: Resolver = noNames): Promise<void> {
  const out = await runPipeline(bytes, s, resolver);
  for (const t of [out.text, out.summary, out.summaryJson]) expect(t).not.toMatch(RAW_CONTROL);
  for (const line of out.ndjson.split('\n').filter(Boolean)) {
    JSON.parse(line);
    expect(line).not.toMatch(RAW_CONTROL);
  }
  if (out.error) expect(stderrOf(out.error.message).slice(0, -1)).not.toMatch(RAW_CONTROL);
  bounded(out.meta);
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

  it('hostile names from the topology and interface names from the file never reach an output raw', async () => {
    const input = fc.tuple(fc.oneof(mutatedFile, generatedPcapng), shape, hostileText);
    await checkProperty('hostile-names', fc.asyncProperty(input, ([bytes, s, n]) => holds(bytes, s, hostileResolver(n))), 60, ([b]) => b);
  }, fuzzTimeout);
});
