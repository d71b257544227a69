import { Box, Text } from 'ink';
import { fit, formatCount } from '../layout.js';
import type { ConversationRow } from '../view-model/conversations.js';

function ms(v: number | undefined): string {
  return v === undefined ? '-' : v.toFixed(3);
}

interface Column {
  title: string;
  width: number;
  /** Dropped below 100 columns, so names and RTT keep their room at 80. */
  optional?: boolean;
  /** Shown only when some pair spoke IPv6 (NDP or ICMPv6 echo). */
  ipv6?: boolean;
  value(r: ConversationRow): string;
}

const COLUMNS: Column[] = [
  { title: 'ARP rq/rp', width: 9, value: (r) => (r.analysis ? `${formatCount(r.analysis.arpRequests)}/${formatCount(r.analysis.arpReplies)}` : '-') },
  { title: 'echo rq/rp', width: 11, value: (r) => (r.analysis ? `${formatCount(r.analysis.echoRequests)}/${formatCount(r.analysis.echoReplies)}` : '-') },
  { title: 'NDP rq/rp', width: 9, ipv6: true, value: (r) => (r.analysis ? `${formatCount(r.analysis.ndpRequests)}/${formatCount(r.analysis.ndpReplies)}` : '-') },
  { title: 'echo6 rq/rp', width: 11, ipv6: true, value: (r) => (r.analysis ? `${formatCount(r.analysis.echo6Requests)}/${formatCount(r.analysis.echo6Replies)}` : '-') },
  { title: 'ICMP', width: 5, optional: true, value: (r) => formatCount(r.icmpOther) },
  { title: 'frames', width: 8, optional: true, value: (r) => formatCount(r.frames) },
  { title: 'RTT ms min/avg/max', width: 20, value: (r) => (r.analysis ? `${ms(r.analysis.rttMinMs)}/${ms(r.analysis.rttAvgMs)}/${ms(r.analysis.rttMaxMs)}` : '-') },
  { title: 'unans', width: 5, value: (r) => (r.analysis ? formatCount(r.analysis.unanswered) : '-') },
];

const spokeIpv6 = (r: ConversationRow) => r.analysis !== undefined && r.analysis.ndpRequests + r.analysis.ndpReplies + r.analysis.echo6Requests + r.analysis.echo6Replies > 0;

/** Per container pair: ARP and ICMP counts (NDP and ICMPv6 echo beside them on a dual-stack network), RTT min/avg/max and unanswered once analysis runs. */
export function ConversationsView({ rows, height, columns }: { rows: ConversationRow[]; height: number; columns: number }) {
  const v6 = rows.some(spokeIpv6);
  const cols = COLUMNS.filter((c) => (columns >= 100 || !c.optional) && (v6 || !c.ipv6));
  const fixed = cols.reduce((n, c) => n + c.width + 1, 0) + 1 + 4;
  // As wide as the longest name, as far as the terminal allows: a label is never cut at a fixed count.
  const longest = rows.reduce((n, r) => Math.max(n, r.a.length, r.b.length), 'Endpoint A'.length);
  const name = Math.max(10, Math.min(longest, Math.floor((columns - fixed - 1) / 2)));
  const line = (a: string, b: string, values: string[]) =>
    ` ${fit(a, name)} <> ${fit(b, name)}${values.map((v, i) => ` ${v.padStart(cols[i].width)}`).join('')}`;
  return (
    <Box flexDirection="column" height={height}>
      <Text bold wrap="truncate">{line('Endpoint A', 'Endpoint B', cols.map((c) => c.title))}</Text>
      {rows.length === 0 ? <Text dimColor>No ARP, ICMP, NDP or ICMPv6 conversations yet.</Text> : null}
      {rows.slice(0, height - 1).map((r) => (
        <Text key={`${r.a}\u0000${r.b}`} wrap="truncate" color={r.analysis && r.analysis.unanswered > 0 ? 'red' : undefined}>
          {line(r.a, r.b, cols.map((c) => c.value(r)))}
        </Text>
      ))}
    </Box>
  );
}
