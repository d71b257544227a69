import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/tui/components/app.js';
import { TuiStore } from '../../src/tui/store/tui-store.js';
import { batchOf, echoFrame, tableResolver, WEB1, WEB2 } from './frames.js';
import { KEY, until } from './screen.js';

let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

describe('App over a spilled history', () => {
  it('Home scrolls to frame 1 after the ring has moved on, and the detail pane decodes it from disk', async () => {
    const store = new TuiStore({ resolver: tableResolver([WEB1, WEB2]), ring: { frames: 1000 } });
    const frames = Array.from({ length: 3000 }, (_, i) => echoFrame(8, WEB1.mac, WEB2.mac, WEB1.ip, WEB2.ip, 7, i + 1));
    store.ingest(batchOf(frames));
    store.flush();
    const ui = render(<App store={store} title="spill" live={false} quit={() => undefined} save={() => undefined} />);
    cleanups.push(() => {
      ui.unmount();
      store.dispose();
    });
    await until(ui.lastFrame, (s) => s.includes('seq 3000'), 'the newest frame');
    expect(store.ring.first).toBe(2000);
    ui.stdin.write(KEY.home);
    const top = await until(ui.lastFrame, (s) => /^\s*1 .*seq 1\b/m.test(s), 'frame 1 at the top');
    expect(top).toMatch(/^\s*2 .*web-bridge-1 +> web-bridge-2 +ICMP +echo request, id 7, seq 2\b/m);
    expect(store.indexAt(store.getSnapshot().ui.selected)).toBe(0);
    ui.stdin.write(KEY.down);
    ui.stdin.write(KEY.enter);
    const detail = await until(ui.lastFrame, (s) => /Frame 2\b/.test(s), 'the detail of frame 2');
    expect(detail).toContain('time 1700000000.001000000');
    expect(detail).toContain('46 bytes captured of 46, link Ethernet');
    expect(detail).toMatch(/^0020 +00 0b 08 00 33 30 00 07 +00 02 61 62 63 64/m); // id 7, seq 2, payload abcd
    expect(detail).toContain('row 2 of 3,000 frames');
  });
});
