import { describe, expect, it, vi } from 'vitest';
import { Analyzer } from '../../src/analyze/index.js';
import { FrameDecoder } from '../../src/decode/index.js';
import { A, B, echoFrame } from './build-frames.js';

// Vitest loads the modules afresh for each test file, so this is the first analyzer of its
// process: the one that runs the warm-up, whose frames must leave no trace in it.
describe('the first analyzer of a process', () => {
  it('shows nothing of the warm-up', () => {
    const onFinding = vi.fn();
    const onTransaction = vi.fn();
    const a = new Analyzer({ onFinding, onTransaction });
    expect(onFinding).not.toHaveBeenCalled();
    expect(onTransaction).not.toHaveBeenCalled();
    expect(a.openTransactions).toBe(0);
    expect(a.pairs()).toEqual([]);

    a.observe(new FrameDecoder().decode(echoFrame(8, A, B, 1, 1), 1), 1, 1_700_000_000, 0);
    expect(onTransaction).toHaveBeenCalledTimes(1);
    expect(a.annotation(1)?.transaction).toMatchObject({ id: 2, requestFrame: 1 });
    const r = a.finish({ pendingAsUnanswered: true });
    expect(r.frames).toBe(1);
    expect(r.pairs).toHaveLength(1);
    expect(r.findingCounts).toEqual({ 'echo-unanswered': 1 });
  });
});
