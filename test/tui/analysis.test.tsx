import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/tui/components/app.js';
import { analyzerFeed } from '../../src/tui/store/analyzer-feed.js';
import { TuiStore } from '../../src/tui/store/tui-store.js';
import { batchOf, echoFrame, pingExchange, tableResolver, WEB1, WEB2 } from './frames.js';
import { until } from './screen.js';

describe('the analyzer in the UI', () => {
  it('marks an unanswered request, shows a frame\'s pair and RTT, and pair RTTs in conversations', async () => {
    const resolver = tableResolver([WEB1, WEB2]);
    const store = new TuiStore({ resolver, analysis: analyzerFeed(resolver, 1000) });
    store.ingest(batchOf(pingExchange(2)));
    // seq 99 is never answered; the ARP 10 s later moves the frame clock past the timeout.
    store.ingest(batchOf([echoFrame(8, WEB1.mac, WEB2.mac, WEB1.ip, WEB2.ip, 7, 99)], 1_700_000_000, 100));
    store.ingest(batchOf(pingExchange(0), 1_700_000_010));
    store.flush();
    const ui = render(<App store={store} title="t" live={false} quit={() => {}} save={() => {}} />);
    try {
      let screen = await until(ui.lastFrame, (s) => s.includes('seq 99'));
      expect(screen).toMatch(/^!7 +\S+ web-bridge-1 +> web-bridge-2 +ICMP +echo request, id 7, seq 99/m);
      expect(screen).toMatch(/^ 3 +\S+ web-bridge-1 +> web-bridge-2 +ICMP +echo request, id 7, seq 1/m);
      ui.stdin.write('g');
      ui.stdin.write('j');
      ui.stdin.write('j');
      ui.stdin.write('\r');
      screen = await until(ui.lastFrame, (s) => s.includes('▾ Frame 3'));
      expect(screen).toMatch(/pair: echo web-bridge-1 > web-bridge-2 seq 1, reply frame 4, RTT 1\.000 ms/);
      ui.stdin.write('\t');
      screen = await until(ui.lastFrame, (s) => s.includes('RTT ms min/avg/max'));
      expect(screen).toMatch(/web-bridge-1 +<> web-bridge-2 +2\/2 +3\/2 +0 +9 +1\.000\/1\.000\/1\.000 +1/);
    } finally {
      ui.unmount();
      store.dispose();
    }
  });
});
