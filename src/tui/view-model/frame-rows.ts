import { destinationEndpoint, sourceEndpoint } from '../../annotate/frame-names.js';
import { FrameDecoder, type DecodedFrame } from '../../decode/index.js';
import { TimestampText } from '../../present/clock.js';
import { sanitize } from '../../present/sanitize.js';
import { frameInfo } from '../../present/frame-info.js';
import { endpointText } from '../../present/text-line.js';
import type { FrameMark } from '../store/analysis-feed.js';
import type { Snapshot, TuiStore } from '../store/tui-store.js';

export type RowColour = 'yellow' | 'green' | 'red' | 'cyan' | 'blue' | 'gray' | 'white';

/** One line of the frame list; every text field is already sanitised. */
export interface FrameRow {
  pos: number;
  /** 1-based frame number since the capture started. */
  number: number;
  time: string;
  src: string;
  dst: string;
  protocol: string;
  summary: string;
  colour: RowColour;
  mark?: FrameMark;
  selected: boolean;
}

/** Colour by protocol, red for damage and ICMP errors, like a packet analyzer's colouring rules. */
function rowColour(f: DecodedFrame): RowColour {
  if (f.problem) return 'red';
  if (f.arp) return 'yellow';
  if (f.icmp) return f.icmp.isError ? 'red' : 'green';
  if (f.ipv4) return 'cyan';
  if (f.ipv6) return 'blue';
  return 'gray';
}

/** Relative time in seconds with microseconds, from the first frame of the session. */
export function relativeTime(tsSec: number, tsNsec: number, firstSec: number, firstNsec: number): string {
  const ns = (tsSec - firstSec) * 1e9 + (tsNsec - firstNsec);
  return (ns / 1e9).toFixed(6);
}

/** The protocol has its own column: "ARP who-has ..." reads "who-has ..." beside "ARP". */
function withoutProtocol(summary: string, protocol: string): string {
  return summary.startsWith(protocol + ' ') ? summary.slice(protocol.length + 1) : summary;
}

/**
 * Builds the rows on screen only: frames are decoded on demand for the visible window, so the
 * cost of a render is the window's height, whatever the capture rate. Owns its decoder and clock.
 */
export class FrameRowsModel {
  private readonly decoder = new FrameDecoder();
  private readonly clock = new TimestampText(6);

  /**
   * The longest source or destination any rendered row had: the name columns widen to it and
   * never narrow again, so the list does not jump as rows scroll by.
   */
  longestName = 0;

  constructor(private readonly store: TuiStore) {}

  rows(snap: Snapshot): FrameRow[] {
    const { store } = this;
    const ui = snap.ui;
    const out: FrameRow[] = [];
    const from = Math.max(ui.top, snap.listFirst);
    const to = Math.min(from + ui.listRows, snap.listEnd);
    for (let pos = from; pos < to; pos++) {
      const index = store.indexAt(pos);
      if (index < 0) continue;
      const row = this.row(pos, index, ui.relativeTime, pos === ui.selected);
      this.longestName = Math.max(this.longestName, row.src.length, row.dst.length);
      out.push(row);
    }
    return out;
  }

  private row(pos: number, index: number, relative: boolean, selected: boolean): FrameRow {
    const { store } = this;
    const frames = store.frames;
    const r = store.resolver;
    const tsSec = frames.tsSecOf(index);
    const tsNsec = frames.tsNsecOf(index);
    const f = store.decodeIndex(this.decoder, index);
    return {
      pos,
      number: index + 1,
      time: relative ? relativeTime(tsSec, tsNsec, store.firstTsSec, store.firstTsNsec) : this.clock.format(tsSec, tsNsec),
      src: endpointText(sourceEndpoint(f, r, tsSec), f, 'src'),
      dst: endpointText(destinationEndpoint(f, r, tsSec), f, 'dst'),
      protocol: sanitize(f.protocol),
      summary: withoutProtocol(sanitize(frameInfo(f, r, tsSec)), f.protocol),
      colour: rowColour(f),
      mark: store.analysis?.markOf(index),
      selected,
    };
  }
}
