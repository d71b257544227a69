import { Box, Text } from 'ink';
import { sanitize } from '../../present/sanitize.js';
import { fit, formatBytes, formatCount, formatElapsed } from '../layout.js';
import type { Snapshot } from '../store/tui-store.js';

export interface HeaderProps {
  snap: Snapshot;
  title: string;
  live: boolean;
  columns: number;
}

function stateText(snap: Snapshot): { text: string; colour: string } {
  const ui = snap.ui;
  if (ui.paused) return { text: `PAUSED +${formatCount(snap.newWhilePaused)} new`, colour: 'yellow' };
  if (ui.following) return { text: 'FOLLOWING', colour: 'green' };
  return { text: 'SCROLLED (G follows)', colour: 'cyan' };
}

/** Title, state, counters: two lines. */
export function Header({ snap, title, live, columns }: HeaderProps) {
  const state = stateText(snap);
  const end = snap.ended ? (live ? ' capture stopped' : ' end of file') : '';
  const left = ` bridgescope  ${sanitize(title)}`;
  const right = `${state.text}${end} `;
  const counters = [
    `frames ${formatCount(snap.frames)}`,
    `${formatCount(Math.round(snap.framesPerSecond))}/s`,
    formatBytes(snap.bytes),
    live ? `kernel drops ${formatCount(snap.kernelDrops)}` : '',
    `elapsed ${formatElapsed(snap.elapsedMs)}`,
    `filter: ${snap.ui.filter === '' ? 'none' : sanitize(snap.ui.filter)}`,
  ].filter(Boolean).join('  ');
  return (
    <Box flexDirection="column">
      <Text inverse wrap="truncate">
        {fit(left, Math.max(0, columns - right.length))}
        <Text color={state.colour}>{right}</Text>
      </Text>
      <Text wrap="truncate" color={snap.kernelDrops > 0 ? 'red' : undefined}>{fit(` ${counters}`, columns)}</Text>
    </Box>
  );
}
