import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/tui/components/app.js';
import { analyzerFeed } from '../../src/tui/store/analyzer-feed.js';
import { TuiStore } from '../../src/tui/store/tui-store.js';
import type { Resolver } from '../../src/model/endpoint.js';
import { batchOf, echoFrame, pingExchange, tableResolver, WEB1, WEB2 } from './frames.js';
import { KEY, until } from './screen.js';

let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

function start(frames: Uint8Array[], resolver: Resolver = tableResolver([WEB1, WEB2]), analysis = false) {
  const store = new TuiStore({ resolver, analysis: analysis ? analyzerFeed(resolver, 1000) : undefined });
  store.ingest(batchOf(frames));
  store.flush();
  const calls = { quit: 0, save: 0 };
  const ui = render(<App store={store} title="seed-ping.pcap" live={false} quit={() => calls.quit++} save={() => calls.save++} />);
  cleanups.push(() => {
    ui.unmount();
    store.dispose();
  });
  return { store, ui, calls };
}

/** Text of the selected row: the test cannot see inverse video, so it asks the store. */
function selectedNumber(store: TuiStore): number {
  return store.indexAt(store.getSnapshot().ui.selected) + 1;
}

describe('App', () => {
  it('lists frames with container names, protocol and summary', async () => {
    const { ui } = start(pingExchange(4));
    const screen = await until(ui.lastFrame, (s) => s.includes('echo reply, id 7, seq 4'), 'the last echo reply');
    expect(screen).toContain('web-bridge-1');
    expect(screen).toContain('web-bridge-2');
    expect(screen).toMatch(/web-bridge-1 +> broadcast +ARP +who-has 172\.30\.0\.11 \(web-bridge-/);
    expect(screen).toMatch(/web-bridge-2 +> web-bridge-1 +ARP +reply 172\.30\.0\.11 \(web-bridge-2\)/);
    expect(screen).toMatch(/web-bridge-1 +> web-bridge-2 +ICMP +echo request, id 7, seq 1/);
    expect(screen).toContain('FOLLOWING');
    expect(screen).toContain('frames 10');
  });

  it('arrow keys and j/k move the selection; G follows the tail again', async () => {
    const { ui, store } = start(pingExchange(4));
    await until(ui.lastFrame, (s) => s.includes('FOLLOWING'), 'following');
    expect(selectedNumber(store)).toBe(10);
    ui.stdin.write(KEY.up);
    ui.stdin.write('k');
    await until(ui.lastFrame, (s) => s.includes('SCROLLED'), 'scrolled state');
    expect(selectedNumber(store)).toBe(8);
    ui.stdin.write('j');
    await until(ui.lastFrame, (s) => s.includes('row 9 of 10'), 'row 9');
    ui.stdin.write('g');
    await until(ui.lastFrame, (s) => s.includes('row 1 of 10'), 'row 1');
    store.ingest(batchOf(pingExchange(1)));
    store.flush();
    await until(ui.lastFrame, (s) => s.includes('row 1 of 14'), 'new frames while scrolled');
    ui.stdin.write('G');
    await until(ui.lastFrame, (s) => s.includes('FOLLOWING') && s.includes('row 14 of 14'), 'following the tail');
  });

  it('space pauses the display while frames keep arriving', async () => {
    const { ui, store } = start(pingExchange(1));
    ui.stdin.write(' ');
    await until(ui.lastFrame, (s) => s.includes('PAUSED +0 new'), 'paused');
    store.ingest(batchOf(pingExchange(3)));
    store.flush();
    const paused = await until(ui.lastFrame, (s) => s.includes('PAUSED +8 new'), 'paused with 8 new');
    expect(paused).toContain('frames 12');
    expect(paused).not.toContain('seq 3');
    ui.stdin.write(' ');
    await until(ui.lastFrame, (s) => s.includes('FOLLOWING') && s.includes('echo reply, id 7, seq 3'), 'resumed');
  });

  it('/ opens the filter prompt and the filter narrows the list; Esc clears it', async () => {
    const { ui } = start(pingExchange(3));
    ui.stdin.write('/');
    await until(ui.lastFrame, (s) => s.includes('Enter apply'), 'the prompt');
    for (const ch of 'arp and web-bridge-2') ui.stdin.write(ch);
    await until(ui.lastFrame, (s) => s.includes('/ arp and web-bridge-2'), 'the typed filter');
    ui.stdin.write(KEY.enter);
    const filtered = await until(ui.lastFrame, (s) => s.includes('filter: arp and web-bridge-2'), 'filter applied');
    expect(filtered).toContain('2 matching');
    expect(filtered).not.toContain('echo request');
    ui.stdin.write(KEY.esc);
    const cleared = await until(ui.lastFrame, (s) => s.includes('filter: none'), 'filter cleared');
    expect(cleared).toContain('echo request');
  });

  it('Enter shows the detail pane with the fields of the selected frame and its hex dump', async () => {
    const { ui } = start(pingExchange(1));
    ui.stdin.write('g');
    ui.stdin.write(KEY.enter);
    let screen = await until(ui.lastFrame, (s) => s.includes('▾ Frame 1'), 'detail of frame 1');
    expect(screen).toContain('42 bytes captured of 42');
    expect(screen).toContain('0000  ff ff ff ff ff ff 02 42');
    ui.stdin.write(KEY.right);
    screen = await until(ui.lastFrame, (s) => s.includes('▾ Ethernet'), 'Ethernet layer');
    expect(screen).toContain('destination ff:ff:ff:ff:ff:ff (broadcast)');
    expect(screen).toContain(`source ${WEB1.mac} (web-bridge-1)`);
    expect(screen).toContain('type 0x0806 (ARP)');
    ui.stdin.write(KEY.right);
    screen = await until(ui.lastFrame, (s) => s.includes('▾ ARP'), 'ARP layer');
    expect(screen).toContain('operation 1 (request)');
    expect(screen).toContain(`sender ${WEB1.mac} (web-bridge-1) 172.30.0.10 (web-bridge-1)`);
    expect(screen).toContain('target 00:00:00:00:00:00 172.30.0.11 (web-bridge-2)');
    ui.stdin.write('j');
    ui.stdin.write('j');
    screen = await until(ui.lastFrame, (s) => s.includes('▾ Frame 3'), 'frame 3');
    ui.stdin.write(KEY.right);
    ui.stdin.write(KEY.right);
    ui.stdin.write(KEY.right);
    screen = await until(ui.lastFrame, (s) => s.includes('▾ ICMP'), 'ICMP layer');
    expect(screen).toContain('type 8, code 0');
    expect(screen).toContain('id 7 (0x7), seq 1');
  });

  it('Tab switches to conversations and topology views', async () => {
    const { ui } = start(pingExchange(4), undefined, true);
    ui.stdin.write(KEY.tab);
    const conv = await until(ui.lastFrame, (s) => s.includes('echo rq/rp'), 'conversations');
    // The analyzer's counts, the ones `summary` prints for the same frames.
    expect(conv).toMatch(/web-bridge-1\s+<> web-bridge-2\s+1\/1\s+4\/4/);
    ui.stdin.write(KEY.tab);
    const topo = await until(ui.lastFrame, (s) => s.includes('MACs seen'), 'topology');
    expect(topo).toMatch(new RegExp(`${WEB1.mac} web-bridge-1 172\\.30\\.0\\.10 on br-test\\s+5`));
  });

  it('? shows help, w and q reach their commands', async () => {
    const { ui, calls } = start(pingExchange(1));
    ui.stdin.write('?');
    await until(ui.lastFrame, (s) => s.includes('save the frames shown to a pcapng file'), 'help');
    ui.stdin.write('w');
    ui.stdin.write('q');
    await until(ui.lastFrame, () => calls.quit === 1, 'quit');
    expect(calls.save).toBe(1);
  });

  it('a container name or payload holding an escape sequence is shown escaped', async () => {
    const evil = { label: 'evil\x1b[31mred\x07', mac: WEB2.mac, ip: WEB2.ip };
    const payload = [...Buffer.from('\x1b[31mPWNED\x1b]0;title\x07')];
    const { ui } = start([echoFrame(8, WEB1.mac, WEB2.mac, WEB1.ip, WEB2.ip, 1, 1, payload)], tableResolver([WEB1, evil]));
    ui.stdin.write(KEY.enter);
    ui.stdin.write(KEY.right);
    ui.stdin.write(KEY.right);
    const screen = await until(ui.lastFrame, (s) => s.includes('▾ IPv4'), 'IPv4 layer');
    expect(screen).toContain('destination 172.30.0.11 (evil\\x1b[31mred\\x07)');
    expect(screen).toContain('evil\\x1b[31mred\\x07');
    expect(screen).not.toContain('\x1b[31mred');
    expect(screen).not.toContain('\x07');
    expect(screen).not.toContain('\x1b]0;');
    // The ASCII column shows the payload's ESC as a dot.
    expect(screen).toContain('...........[31mP');
    expect(screen).toContain('WNED.]0;title.');
  });
});
