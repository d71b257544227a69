import { Box, Text } from 'ink';
import { fit, nameColumnWidth } from '../layout.js';
import type { FrameRow } from '../view-model/frame-rows.js';

export interface FrameListProps {
  rows: FrameRow[];
  /** Rows on screen; shorter lists are padded so the layout does not jump. */
  height: number;
  columns: number;
  relativeTime: boolean;
  /** Longest source or destination seen so far (FrameRowsModel.longestName). */
  longestName: number;
}

interface Widths {
  number: number;
  time: number;
  name: number;
  protocol: number;
  summary: number;
}

/** Column widths: names as wide as the longest one shown, as far as the terminal allows; the summary takes the rest. */
function widths(columns: number, relative: boolean, longestName: number): Widths {
  const number = 7;
  const time = relative ? 10 : 15;
  const protocol = 7;
  // marker, four single spaces and " > " between the columns
  const fixed = 1 + 4 + 3 + number + time + protocol;
  const name = nameColumnWidth(columns, fixed, longestName);
  const summary = Math.max(10, columns - fixed - 2 * name);
  return { number, time, name, protocol, summary };
}

const MARKS = { unanswered: '!', flagged: '*' } as const;

export function FrameList({ rows, height, columns, relativeTime, longestName }: FrameListProps) {
  const w = widths(columns, relativeTime, longestName);
  const line = (mark: string, no: string, time: string, src: string, dst: string, proto: string, summary: string) =>
    `${mark}${fit(no, w.number)} ${fit(time, w.time)} ${fit(src, w.name)} > ${fit(dst, w.name)} ${fit(proto, w.protocol)} ${fit(summary, w.summary)}`;
  const pad = Math.max(0, height - rows.length);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate">{line(' ', 'No.', relativeTime ? 'Time (rel)' : 'Time', 'Source', 'Destination', 'Proto', 'Summary')}</Text>
      {rows.map((r) => (
        <Text key={r.pos} color={r.colour} inverse={r.selected} wrap="truncate">
          {line(r.mark ? MARKS[r.mark] : ' ', String(r.number), r.time, r.src, r.dst, r.protocol, r.summary)}
        </Text>
      ))}
      {pad > 0 ? <Text>{'\n'.repeat(pad - 1)}</Text> : null}
    </Box>
  );
}
