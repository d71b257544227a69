import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { copyFrame, matchExpectation, openCaptureFile, replay, type MatchInput, type OwnedFrame } from '../../src/index.js';

const seed = fileURLToPath(new URL('../../captures/seed-ping.pcapng', import.meta.url));
const BY_ADDRESS = 'arp request 172.30.0.10 -> 172.30.0.11\nicmp echo-reply 172.30.0.11 -> 172.30.0.10 x4';

async function readAll(file: string): Promise<OwnedFrame[]> {
  const frames: OwnedFrame[] = [];
  for await (const b of openCaptureFile(file)) for (let i = 0; i < b.count; i++) frames.push(copyFrame(b, i));
  return frames;
}

describe("one matchExpectation from 'bridgescope' for frames, a recording and a source", () => {
  it('takes a CaptureSource (bug: TypeError reading length) and streams it', async () => {
    const r = await matchExpectation(openCaptureFile(seed), BY_ADDRESS);
    expect(r.ok).toBe(true);
    expect(r.steps.map((s) => s.matched)).toEqual([1, 4]);
  });

  it('gives the same result on frames, a recording and a source', async () => {
    const rec = await replay(seed);
    const inputs: MatchInput[] = [await readAll(seed), rec, openCaptureFile(seed)];
    const results = await Promise.all(inputs.map(async (i) => matchExpectation(i, BY_ADDRESS, { resolver: rec.resolver })));
    expect(results.map((r) => [r.ok, r.frames, r.steps.map((s) => s.frames)])).toEqual(Array(3).fill([true, results[0].frames, results[0].steps.map((s) => s.frames)]));
  });

  it('a recording names its frames; a source takes names from the options', async () => {
    const rec = await replay(seed);
    const named = 'arp request web-bridge-1 -> web-bridge-2';
    expect(matchExpectation(rec, named).ok).toBe(true);
    expect((await matchExpectation(openCaptureFile(seed), named)).ok).toBe(false);
    expect((await matchExpectation(openCaptureFile(seed), named, { resolver: rec.resolver })).ok).toBe(true);
  });

  it('says what it takes when given something else', () => {
    expect(() => matchExpectation({ nope: 1 } as unknown as MatchInput, BY_ADDRESS)).toThrow(
      'expected frames (OwnedFrame[]), a replay()/capture() recording or a CaptureSource, got object',
    );
  });
});
