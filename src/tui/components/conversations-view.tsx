import { Box, Text } from 'ink';
import { fit, formatCount } from '../layout.js';
import type { ConversationRow } from '../view-model/conversations.js';

function ms(v: number | undefined): string {
  return v === undefined ? '-' : v.toFixed(3);
}

/** Per container pair: ARP and ICMP counts, RTT min/avg/max and unanswered once analysis runs. */
export function ConversationsView({ rows, height, columns }: { rows: ConversationRow[]; height: number; columns: number }) {
  const name = Math.max(14, Math.floor((columns - 70) / 2));
  const line = (a: string, b: string, arp: string, icmp: string, other: string, frames: string, rtt: string, unans: string) =>
    ` ${fit(a, name)} <> ${fit(b, name)} ${arp.padStart(9)} ${icmp.padStart(11)} ${other.padStart(5)} ${frames.padStart(8)} ${rtt.padStart(23)} ${unans.padStart(5)}`;
  return (
    <Box flexDirection="column" height={height}>
      <Text bold wrap="truncate">{line('Endpoint A', 'Endpoint B', 'ARP rq/rp', 'echo rq/rp', 'ICMP', 'frames', 'RTT ms min/avg/max', 'unans')}</Text>
      {rows.length === 0 ? <Text dimColor>No ARP or ICMP conversations yet.</Text> : null}
      {rows.slice(0, height - 1).map((r) => (
        <Text key={`${r.a}\u0000${r.b}`} wrap="truncate" color={r.rtt && r.rtt.unanswered > 0 ? 'red' : undefined}>
          {line(r.a, r.b, `${formatCount(r.arpRequests)}/${formatCount(r.arpReplies)}`, `${formatCount(r.echoRequests)}/${formatCount(r.echoReplies)}`,
            formatCount(r.icmpOther), formatCount(r.frames),
            r.rtt ? `${ms(r.rtt.rttMinMs)}/${ms(r.rtt.rttAvgMs)}/${ms(r.rtt.rttMaxMs)}` : '-', r.rtt ? formatCount(r.rtt.unanswered) : '-')}
        </Text>
      ))}
    </Box>
  );
}
