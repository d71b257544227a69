import { describe, expect, it } from 'vitest';
import { analyzeFrames } from '../../src/analyze/index.js';
import { formatSummary } from '../../src/present/summary-table.js';
import { A, B, C, Timeline, arpFrame, echoFrame } from '../analyze/build-frames.js';
import { namesFor } from '../analyze/resolver.js';

describe('summary text', () => {
  it('lists findings in frame order, not in the order they were raised', () => {
    // Frame 1's ARP goes unanswered (raised once its timeout has passed, at frame 4); frame 2 is a
    // gratuitous ARP and frame 3 an unanswered echo, raised at the end.
    const frames = new Timeline()
      .at(0, arpFrame(1, A, { ip: '172.30.0.99' }))
      .at(200, arpFrame(1, C, { ip: C.ip }))
      .at(1500, echoFrame(8, A, B, 1, 1))
      .at(1600, arpFrame(1, B, { ip: A.ip }))
      .frames;
    const report = analyzeFrames(frames, { resolver: namesFor({ a: A, b: B, c: C }), pendingAsUnanswered: true });
    const listed = formatSummary(report).split('\n').map((l) => /frame +(\d+)/.exec(l)?.[1]).filter(Boolean).map(Number);
    expect(listed.length).toBeGreaterThanOrEqual(3);
    expect(listed).toEqual([...listed].sort((x, y) => x - y));
  });
});
