import { render } from 'ink-testing-library';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { replay } from '../../src/index.js';
import { openCaptureFile } from '../../src/pcap/open.js';
import { ConversationsView } from '../../src/tui/components/conversations-view.js';
import { analyzerFeed } from '../../src/tui/store/analyzer-feed.js';
import { TuiStore } from '../../src/tui/store/tui-store.js';
import { conversationRows } from '../../src/tui/view-model/conversations.js';
import { batchOf, pingExchange, tableResolver, WEB1, WEB2 } from './frames.js';

const DUAL = fileURLToPath(new URL('../../captures/dual-stack-ping.pcapng', import.meta.url));

/** The shipped dual-stack capture through the UI's store, named by the snapshot inside it. */
async function dualStackStore(): Promise<TuiStore> {
  const { resolver } = await replay(DUAL);
  const store = new TuiStore({ resolver, analysis: analyzerFeed(resolver, 1000) });
  for await (const b of openCaptureFile(DUAL)) store.ingest(b);
  store.flush();
  return store;
}

describe('the conversations view on a dual-stack network', () => {
  it('counts NDP and ICMPv6 echo per container pair beside ARP and ICMP, as summary does', async () => {
    const store = await dualStackStore();
    try {
      const rows = conversationRows(store);
      const ab = rows.find((r) => r.a === 'alpha-web' && r.b === 'beta-db')!;
      expect(ab.analysis).toMatchObject({ arpRequests: 0, echoRequests: 0, ndpRequests: 2, ndpReplies: 2, echo6Requests: 3, echo6Replies: 3, unanswered: 0 });
      // The UDP datagram and the port unreachable are this pair's too: one frame of ICMPv6 other than echo and ND.
      expect(ab.icmpOther).toBe(1);
      expect(ab.frames).toBe(12);
      expect(ab.analysis!.rttMinMs).toBeGreaterThan(0);
      const nobody = rows.find((r) => r.b === 'fd42:b7::99' || r.a === 'fd42:b7::99')!;
      expect(nobody.analysis).toMatchObject({ ndpRequests: 3, ndpReplies: 0, unanswered: 3 });
      // ink-testing-library's terminal is 100 columns wide: the RTT and unanswered columns are cut there.
      const ui = render(<ConversationsView rows={rows} height={10} columns={100} />);
      const screen = ui.lastFrame()!;
      ui.unmount();
      expect(screen).toMatch(/ARP rq\/rp +echo rq\/rp +NDP rq\/rp +echo6 rq\/rp/);
      expect(screen).toMatch(/^ alpha-web +<> beta-db +0\/0 +0\/0 +2\/2 +3\/3 +1 +12 +0\.\d{3}\//m);
      expect(screen).toMatch(/^ alpha-web +<> fd42:b7::\S* +0\/0 +0\/0 +3\/0 +0\/0 +0 +3 /m);
    } finally {
      store.dispose();
    }
  });

  it('an IPv4-only capture keeps its columns: no NDP or echo6 ones', () => {
    const resolver = tableResolver([WEB1, WEB2]);
    const store = new TuiStore({ resolver, analysis: analyzerFeed(resolver, 1000) });
    try {
      store.ingest(batchOf(pingExchange(2)));
      store.flush();
      const ui = render(<ConversationsView rows={conversationRows(store)} height={10} columns={120} />);
      const screen = ui.lastFrame()!;
      ui.unmount();
      expect(screen).toContain('echo rq/rp');
      expect(screen).not.toContain('NDP');
    } finally {
      store.dispose();
    }
  });
});
