import { Box, Text } from 'ink';
import { fit, formatBytes, formatCount } from '../layout.js';
import type { TopologyLine } from '../view-model/topology-rows.js';

/** Bridge -> port -> container with MAC and IP, and the traffic each port's container sent. */
export function TopologyView({ lines, height, columns, hasTopology }: { lines: TopologyLine[]; height: number; columns: number; hasTopology: boolean }) {
  const textWidth = columns - 26;
  return (
    <Box flexDirection="column" height={height}>
      <Text bold wrap="truncate">{` ${fit(hasTopology ? 'Bridge / port -> container  MAC  IP' : 'MACs seen (no topology snapshot)', textWidth)} ${'frames'.padStart(10)} ${'bytes'.padStart(12)}`}</Text>
      {lines.length === 0 ? <Text dimColor>Nothing seen yet.</Text> : null}
      {lines.slice(0, height - 1).map((l, i) => (
        <Text key={i} wrap="truncate" bold={l.depth === 0} color={l.depth === 0 ? 'cyan' : undefined}>
          {` ${fit((l.depth === 1 ? '  ' : '') + l.text, textWidth)} ${(l.frames === undefined ? '' : formatCount(l.frames)).padStart(10)} ${(l.bytes === undefined ? '' : formatBytes(l.bytes)).padStart(12)}`}
        </Text>
      ))}
    </Box>
  );
}
