import { renderToString } from 'ink';
import { describe, expect, it } from 'vitest';
import { FrameList } from '../../src/tui/components/frame-list.js';
import { ConversationsView } from '../../src/tui/components/conversations-view.js';
import type { FrameRow } from '../../src/tui/view-model/frame-rows.js';

const LONG = 'alpha-web (+delta-sidecar, echo-exporter)';

const row: FrameRow = {
  pos: 0, number: 1, time: '12:00:00.000001', src: LONG, dst: 'beta-db', protocol: 'ICMP',
  summary: 'echo request, id 7, seq 1', colour: 'green', selected: false,
};

const list = (columns: number, longestName: number) =>
  renderToString(<FrameList rows={[row]} height={2} columns={columns} relativeTime={false} longestName={longestName} />, { columns });

describe('name columns', () => {
  it('on a wide terminal a long label is shown whole, and the summary keeps its place', () => {
    const screen = list(200, LONG.length);
    expect(screen).toContain(`${LONG} > beta-db`);
    expect(screen).toContain('echo request, id 7, seq 1');
  });

  it('on 80 columns names are cut (with an ellipsis) so the summary still shows', () => {
    const screen = list(80, LONG.length);
    expect(screen).not.toContain(LONG);
    expect(screen).toContain('alpha-web (+…');
    expect(screen).toContain('echo request');
  });

  it('short names leave the room to the summary', () => {
    const short = renderToString(<FrameList rows={[{ ...row, src: 'a', dst: 'b' }]} height={2} columns={200} relativeTime={false} longestName={1} />, { columns: 200 });
    expect(short).toMatch(/a {12} > b {12} ICMP/);
  });

  it('the conversations view shows a long pair whole on a wide terminal', () => {
    const analysis = { a: LONG, b: 'beta-db', arpRequests: 1, arpReplies: 1, echoRequests: 3, echoReplies: 2, ndpRequests: 0, ndpReplies: 0, echo6Requests: 0, echo6Replies: 0, unanswered: 1 };
    const rows = [{ a: LONG, b: 'beta-db', icmpOther: 0, frames: 8, bytes: 800, analysis }];
    const screen = renderToString(<ConversationsView rows={rows} height={3} columns={200} />, { columns: 200 });
    expect(screen).toContain(`${LONG} <> beta-db`);
    expect(screen).toMatch(/1\/1 +3\/2 /);
  });
});
