import { Box, Text } from 'ink';

const KEY_HELP: ReadonlyArray<readonly [string, string]> = [
  ['↑ ↓  j k', 'move the selection'],
  ['PgUp PgDn', 'move a page'],
  ['Home g', 'first frame'],
  ['End G', 'last frame, follow the tail again'],
  ['Enter', 'show or hide the detail pane'],
  ['← →  h l', 'select a layer in the detail pane (highlighted in the hex dump)'],
  ['Tab', 'switch view: frames, conversations, topology'],
  ['Space', 'pause the display (capture goes on, nothing is lost)'],
  ['/', 'display filter: arp icmp ipv4 ipv6 icmp6 ndp mld vlan udp tcp broadcast, a container, MAC or IP (v4/v6); and/or/not ( )'],
  ['Esc', 'clear the filter, close help or detail'],
  ['t', 'absolute or relative time'],
  ['w', 'save the frames shown to a pcapng file'],
  ['?', 'this help'],
  ['q Ctrl-C', 'quit'],
];

export function HelpOverlay({ height }: { height: number }) {
  return (
    <Box flexDirection="column" height={height} borderStyle="round" paddingX={1}>
      <Text bold>Keys</Text>
      {KEY_HELP.slice(0, Math.max(0, height - 3)).map(([k, what]) => (
        <Text key={k} wrap="truncate">
          <Text color="cyan">{k.padEnd(12)}</Text>
          {what}
        </Text>
      ))}
    </Box>
  );
}
