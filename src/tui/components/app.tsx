import { Box, Text } from 'ink';
import { useEffect, useMemo } from 'react';
import type { Topology } from '../../model/topology.js';
import { FrameDecoder } from '../../decode/index.js';
import { sanitize } from '../../present/sanitize.js';
import { computeLayout, fit, formatCount } from '../layout.js';
import type { Snapshot, TuiStore } from '../store/tui-store.js';
import { useKeys, type KeyCommands } from '../use-keys.js';
import { useSnapshot } from '../use-store.js';
import { useTerminalSize } from '../use-terminal-size.js';
import { conversationRows } from '../view-model/conversations.js';
import { frameLayers } from '../view-model/frame-layers.js';
import { FrameRowsModel } from '../view-model/frame-rows.js';
import { topologyLines } from '../view-model/topology-rows.js';
import { ConversationsView } from './conversations-view.js';
import { DetailPane } from './detail-pane.js';
import { Footer } from './footer.js';
import { FrameList } from './frame-list.js';
import { Header } from './header.js';
import { HelpOverlay } from './help-overlay.js';
import { TopologyView } from './topology-view.js';

export interface AppProps extends KeyCommands {
  store: TuiStore;
  title: string;
  live: boolean;
  topology?: Topology;
}

function statusText(snap: Snapshot): { text: string; colour?: string } {
  if (snap.error) return { text: sanitize(snap.error), colour: 'red' };
  if (snap.ui.status) return { text: sanitize(snap.ui.status), colour: 'yellow' };
  const shown = snap.listEnd - snap.listFirst;
  const sel = snap.ui.selected >= 0 ? `row ${formatCount(snap.ui.selected - snap.listFirst + 1)} of ` : '';
  const dropped = snap.droppedFromRing > 0 ? `; ${formatCount(snap.droppedFromRing)} older frames no longer held` : '';
  return { text: `${sel}${formatCount(shown)} ${snap.ui.filter ? 'matching' : 'frames'}${dropped}` };
}

/** The whole screen: header, the current view, status line, footer. Renders store selectors only. */
export function App({ store, title, live, topology, quit, save }: AppProps) {
  const snap = useSnapshot(store);
  const size = useTerminalSize();
  const ui = snap.ui;
  const layout = computeLayout(size, ui.detail && ui.view === 'list');
  useKeys(store, { quit, save });
  useEffect(() => {
    store.dispatch({ type: 'listRows', rows: layout.listRows });
  }, [store, layout.listRows]);
  const rowsModel = useMemo(() => new FrameRowsModel(store), [store]);
  const detailDecoder = useMemo(() => new FrameDecoder(), []);

  let body;
  if (ui.help) body = <HelpOverlay height={layout.bodyRows} />;
  else if (ui.view === 'conversations') body = <ConversationsView rows={conversationRows(store)} height={layout.bodyRows} columns={layout.columns} />;
  else if (ui.view === 'topology') body = <TopologyView lines={topologyLines(store, topology)} height={layout.bodyRows} columns={layout.columns} hasTopology={topology !== undefined} />;
  else {
    const index = store.indexAt(ui.selected);
    let detail = null;
    if (layout.detailRows > 0 && index >= 0) {
      const frames = store.frames;
      const f = store.decodeIndex(detailDecoder, index);
      const layers = frameLayers(f, index + 1, frames.tsSecOf(index), frames.tsNsecOf(index), store.resolver, store.analysis?.pairLineOf(index), store.hops.lineOf(index));
      detail = <DetailPane layers={layers} bytes={f.bytes} layer={ui.layer} height={layout.detailRows} columns={layout.columns} sideBySide={layout.sideBySide} />;
    }
    body = (
      <Box flexDirection="column" height={layout.bodyRows}>
        <FrameList rows={rowsModel.rows(snap)} height={layout.listRows} columns={layout.columns} relativeTime={ui.relativeTime} longestName={rowsModel.longestName} />
        {detail}
      </Box>
    );
  }
  const status = statusText(snap);
  return (
    <Box flexDirection="column" width={layout.columns}>
      <Header snap={snap} title={title} live={live} columns={layout.columns} />
      {body}
      <Text color={status.colour} wrap="truncate">{fit(` ${status.text}`, layout.columns)}</Text>
      <Footer prompt={ui.prompt} columns={layout.columns} />
    </Box>
  );
}
