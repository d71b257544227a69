import { describe, expect, it } from 'vitest';
import { CpuMarkSource } from '../../src/bench/cpu-mark.js';
import { FILE_CASES, type SourceWrap } from '../../src/bench/file-cases.js';
import { TopologyResolver } from '../../src/annotate/topology-resolver.js';
import { noNames } from '../../src/model/endpoint.js';
import { loadSnapshotFile } from '../../src/session/snapshot-load.js';

const SEED = 'captures/seed-ping.pcap';
const SEED_FRAMES = 12;
const asIs: SourceWrap = (s) => s;

// pcap-parser, the baseline, reads microsecond pcap only: the seed is nanosecond.
describe('bench file cases', () => {
  it.each(['decode', 'merge-decode', 'analysis', 'echo-floor', 'text', 'json', 'tui-store'])('%s reads every frame of the seed capture', async (name) => {
    const run = await FILE_CASES[name]();
    expect(await run(SEED, noNames, asIs)).toBe(SEED_FRAMES);
  });

  it('names the seed capture with its topology, and refuses a run that names nothing', async () => {
    const run = await FILE_CASES.names();
    const resolver = new TopologyResolver(await loadSnapshotFile(`${SEED}.topology.json`));
    expect(await run(SEED, resolver, asIs)).toBe(SEED_FRAMES);
    const stranger = new TopologyResolver();
    await expect(run(SEED, stranger, asIs)).rejects.toThrow(/resolved no frame/);
  });

  it('reads the file through the wrap it is given (the worker\'s CPU mark)', async () => {
    let wrapped: CpuMarkSource | undefined;
    const run = await FILE_CASES['echo-floor']();
    await run(SEED, noNames, (s) => (wrapped = new CpuMarkSource(s, 0)));
    expect(wrapped?.mark?.frames).toBe(0);
  });
});
