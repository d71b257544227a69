import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSnapshotFile } from '../../src/session/snapshot-load.js';
import { TopologyResolver } from '../../src/annotate/topology-resolver.js';
import { openCaptureFile } from '../../src/pcap/index.js';
import { App } from '../../src/tui/components/app.js';
import { pumpSource } from '../../src/tui/pipeline.js';
import { saveShownFrames } from '../../src/tui/save.js';
import { TuiStore } from '../../src/tui/store/tui-store.js';
import { until } from './screen.js';

const CAPTURE = 'captures/seed-ping.pcap';
const dir = mkdtempSync(join(tmpdir(), 'bridgescope-tui-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function loaded() {
  const topology = await loadSnapshotFile(`${CAPTURE}.topology.json`);
  const store = new TuiStore({ resolver: new TopologyResolver(topology) });
  const error = await pumpSource(openCaptureFile(CAPTURE), store);
  expect(error).toBeUndefined();
  return { store, topology };
}

describe('the seed capture in the UI', () => {
  it('names every frame and shows the ARP and ICMP fields of known frames', async () => {
    const { store, topology } = await loaded();
    expect(store.getSnapshot()).toMatchObject({ frames: 12, ended: true });
    const ui = render(<App store={store} title={CAPTURE} live={false} topology={topology} quit={() => {}} save={() => {}} />);
    try {
      let screen = await until(ui.lastFrame, (s) => s.includes('end of file'));
      expect(screen).toMatch(/web-bridge-1 +> broadcast +ARP +who-has 172\.30\.0\.11 \(web-bridge-/);
      expect(screen).toMatch(/web-bridge-1 +> web-bridge-2 +ICMP +echo request, id \d+, seq 0/);
      expect(screen).toMatch(/web-bridge-2 +> web-bridge-1 +ICMP +echo reply, id \d+, seq 3/);
      ui.stdin.write('g');
      ui.stdin.write('j'); // frame 2: the ARP reply
      ui.stdin.write('\r');
      ui.stdin.write('\x1b[C');
      ui.stdin.write('\x1b[C');
      screen = await until(ui.lastFrame, (s) => s.includes('▾ ARP') && s.includes('Frame 2'));
      expect(screen).toContain('operation 2 (reply)');
      expect(screen).toContain('sender 02:42:ac:1e:00:0b (web-bridge-2) 172.30.0.11 (web-bridge-2)');
      expect(screen).toContain('target 02:42:ac:1e:00:0a (web-bridge-1) 172.30.0.10 (web-bridge-1)');
      ui.stdin.write('\t');
      ui.stdin.write('\t');
      screen = await until(ui.lastFrame, (s) => s.includes('Bridge / port'));
      expect(screen).toMatch(/br-[0-9a-f]{12} \(network br_xx\) 172\.30\.0\.1\/16/);
      expect(screen).toMatch(/veth\w+ -> web-bridge-1 02:42:ac:1e:00:0a 172\.30\.0\.10 +6 /);
    } finally {
      ui.unmount();
      store.dispose();
    }
  });

  it('w saves exactly the frames shown (after the filter) to a pcapng that reads back', async () => {
    const { store, topology } = await loaded();
    store.applyFilter('icmp and web-bridge-2');
    const path = join(dir, 'shown.pcapng');
    expect(saveShownFrames(store, path, topology)).toBe(8);
    const back = openCaptureFile(path);
    let frames = 0;
    const lengths: number[] = [];
    for await (const b of back) {
      frames += b.count;
      for (let i = 0; i < b.count; i++) lengths.push(b.origLen[i]);
    }
    expect(frames).toBe(8);
    expect(lengths.every((n) => n === 98)).toBe(true);
    expect(back.meta.customBlocks).toEqual([]);
    expect(back.meta.nameBlockOptions.flatMap((b) => b.options.map((o) => o.pen))).toEqual([32473]);
    store.dispose();
  });
});
