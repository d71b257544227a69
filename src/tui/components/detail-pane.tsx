import { Box, Text } from 'ink';
import { fit } from '../layout.js';
import type { FrameLayer } from '../view-model/frame-layers.js';
import { hexDump } from '../view-model/hex-dump.js';

export interface DetailPaneProps {
  layers: FrameLayer[];
  bytes: Uint8Array;
  layer: number;
  height: number;
  columns: number;
  sideBySide: boolean;
}

const HEX_WIDTH = 75;

/** The selected layer expanded, the others one line each (a protocol tree with one branch open). */
function treeLines(layers: FrameLayer[], selected: number): { text: string; selected: boolean }[] {
  const out: { text: string; selected: boolean }[] = [];
  layers.forEach((l, i) => {
    const open = i === selected;
    out.push({ text: `${open ? '▾' : '▸'} ${l.name}  [${l.start}..${l.end})`, selected: open });
    if (open) for (const f of l.fields) out.push({ text: `    ${f}`, selected: false });
  });
  return out;
}

function HexLines({ bytes, start, end, lines }: { bytes: Uint8Array; start: number; end: number; lines: number }) {
  // Scroll the dump so the highlighted layer's first line is visible.
  const firstLine = Math.max(0, Math.min(Math.floor(start / 16), Math.ceil(bytes.length / 16) - lines));
  const dump = hexDump(bytes, start, end, firstLine, lines);
  return (
    <>
      {dump.map((segs, i) => (
        <Text key={i} wrap="truncate">
          {segs.map((s, j) => (
            <Text key={j} inverse={s.highlight} color={s.highlight ? 'cyan' : undefined}>{s.text}</Text>
          ))}
        </Text>
      ))}
    </>
  );
}

/** Fields of each layer and the hex + ASCII dump with the selected layer's bytes highlighted. */
export function DetailPane({ layers, bytes, layer, height, columns, sideBySide }: DetailPaneProps) {
  const sel = Math.min(layer, layers.length - 1);
  const current = layers[sel];
  const tree = treeLines(layers, sel);
  const rule = <Text dimColor wrap="truncate">{'─'.repeat(columns)}</Text>;
  const inner = height - 1;
  if (sideBySide) {
    const treeWidth = columns - HEX_WIDTH - 1;
    return (
      <Box flexDirection="column" height={height}>
        {rule}
        <Box>
          <Box flexDirection="column" width={treeWidth}>
            {tree.slice(0, inner).map((l, i) => (
              <Text key={i} bold={l.selected} color={l.selected ? 'cyan' : undefined} wrap="truncate">{fit(l.text, treeWidth - 1)}</Text>
            ))}
          </Box>
          <Box flexDirection="column" width={HEX_WIDTH + 1}>
            <HexLines bytes={bytes} start={current.start} end={current.end} lines={inner} />
          </Box>
        </Box>
      </Box>
    );
  }
  const treeRows = Math.min(tree.length, Math.max(1, inner - Math.min(4, Math.ceil(bytes.length / 16))));
  return (
    <Box flexDirection="column" height={height}>
      {rule}
      {tree.slice(0, treeRows).map((l, i) => (
        <Text key={i} bold={l.selected} color={l.selected ? 'cyan' : undefined} wrap="truncate">{l.text}</Text>
      ))}
      <HexLines bytes={bytes} start={current.start} end={current.end} lines={inner - treeRows} />
    </Box>
  );
}
