import { describe, expect, it } from 'vitest';
import { CpuMarkSource } from '../../src/bench/cpu-mark.js';
import { FILE_CASES, type SourceWrap } from '../../src/bench/file-cases.js';
import { TopologyResolver } from '../../src/annotate/topology-resolver.js';
import { noNames } from '../../src/model/endpoint.js';
import { loadSnapshotFile } from '../../src/session/snapshot-load.js';
import { IcmpType, emitEchoFrame } from '../../src/decode/index.js';
import { PcapWriter } from '../../src/pcap/pcap-writer.js';
import { tempDir } from '../pcap/temp-file.js';

const file = tempDir();

const SEED = 'captures/seed-ping.pcap';
const SEED_FRAMES = 12;
const asIs: SourceWrap = (s) => s;

// pcap-parser, the baseline, reads microsecond pcap only: the seed is nanosecond.
describe('bench file cases', () => {
  it.each(['decode', 'merge-decode', 'analysis', 'echo-floor', 'echo-lean', 'text', 'json', 'tui-store'])('%s reads every frame of the seed capture', async (name) => {
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

  it('echo-floor refuses a file whose pings it matched no reply to (its pairing would be broken)', async () => {
    const path = file('unanswered.pcap');
    const writer = new PcapWriter(path);
    const bytes = emitEchoFrame(IcmpType.ECHO_REQUEST, { mac: 0x02_00_00_00_00_01, ip: 0x0a_00_00_01 }, { mac: 0x02_00_00_00_00_02, ip: 0x0a_00_00_02 }, 7, 1);
    writer.writeFrame({ tsSec: 1_800_000_000, tsNsec: 0, capLen: bytes.length, origLen: bytes.length, ifIndex: 0, linkType: 1, bytes });
    writer.close();
    const run = await FILE_CASES['echo-floor']();
    await expect(run(path, noNames, asIs)).rejects.toThrow(/matched no reply/);
  });

  it('reads the file through the wrap it is given (the worker\'s CPU mark)', async () => {
    let wrapped: CpuMarkSource | undefined;
    const run = await FILE_CASES['echo-floor']();
    await run(SEED, noNames, (s) => (wrapped = new CpuMarkSource(s, 0)));
    expect(wrapped?.mark?.frames).toBe(0);
  });
});
