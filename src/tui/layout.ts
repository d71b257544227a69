import type { TerminalSize } from './use-terminal-size.js';

/** Lines taken by the header (2), the status line and the footer. */
const CHROME_ROWS = 4;

export interface Layout {
  columns: number;
  /** Rows between header and status line. One row is left free so Ink never scrolls the screen. */
  bodyRows: number;
  /** Frame rows in the list (below its column header). */
  listRows: number;
  detailRows: number;
  /** Layers and hex dump side by side (wide terminals) or stacked. */
  sideBySide: boolean;
}

export function computeLayout(size: TerminalSize, detail: boolean): Layout {
  const bodyRows = size.rows - 1 - CHROME_ROWS;
  const listBlock = detail ? Math.max(4, Math.floor(bodyRows * 0.4)) : bodyRows;
  return {
    columns: size.columns,
    bodyRows,
    listRows: listBlock - 1,
    detailRows: detail ? bodyRows - listBlock : 0,
    sideBySide: size.columns >= 150,
  };
}

/** Narrowest a name column gets (room for "Destination"), and the summary's share it leaves alone. */
const MIN_NAME = 13;
const MIN_SUMMARY = 30;

/**
 * Width of each of two name columns: as wide as the longest name shown, as far as the terminal
 * allows once `fixed` columns and a readable summary are placed; never cut at a fixed count.
 */
export function nameColumnWidth(columns: number, fixed: number, longest: number): number {
  const room = Math.floor((columns - fixed - MIN_SUMMARY) / 2);
  return Math.max(MIN_NAME, Math.min(longest, room));
}

/** Text cut or padded to exactly `width` columns (ellipsis when cut). */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length > width) return width === 1 ? text.slice(0, 1) : text.slice(0, width - 1) + '…';
  return text.padEnd(width);
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

export function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}
