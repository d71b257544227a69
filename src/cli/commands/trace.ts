import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { escapeJson, sanitize } from '../../present/sanitize.js';
import type { Sighting } from '../../session/trace-hops.js';
import { runTrace, type TraceResult } from '../../session/trace.js';
import { positiveInt, positiveNumber } from '../options.js';
import { notice } from '../stderr.js';

interface TraceFlags {
  count: number;
  interval: number;
  size: number;
  timeout: number;
  cold?: boolean;
  via?: string;
  write?: string;
  json?: boolean;
}

export function registerTrace(program: Command): void {
  program
    .command('trace')
    .description('ping from container A to B and watch every hop (A\'s veth, the bridges, B\'s veth): where the packets stop, and why')
    .argument('<from>', 'container that pings')
    .argument('<to>', 'container, IPv4 address, "gateway" or "host"')
    .option('-c, --count <n>', 'echo requests to send', positiveInt('--count'), 3)
    .option('-i, --interval <s>', 'seconds between echo requests', positiveNumber('--interval'), 0.2)
    .option('-s, --size <bytes>', 'ICMP payload bytes', nonNegativeInt('--size'), 56)
    .option('--timeout <s>', 'seconds to wait for a reply', positiveNumber('--timeout'), 1)
    .option('--cold', "forget A's neighbour entry first, so ARP is seen before the echoes")
    .option('--via <how>', 'netns: the host\'s ping in A\'s namespace; exec: the container\'s own ping (default: netns when root)')
    .option('-w, --write <file>', "keep every hop's copy of every frame (.pcapng keeps interface names and the topology)")
    .option('--json', 'print the verdict as one JSON object instead of lines')
    .action(async (from: string, to: string, flags: TraceFlags) => {
      if (flags.via !== undefined && flags.via !== 'netns' && flags.via !== 'exec') throw new UsageError(`--via expects netns or exec, got '${flags.via}'`);
      const result = await runTrace({
        from, to, count: flags.count, interval: flags.interval, size: flags.size, timeout: flags.timeout, cold: flags.cold,
        via: flags.via, write: flags.write,
        out: flags.json ? undefined : process.stdout,
        onNotice: notice,
      });
      writeVerdict(flags.json ? escapeJson(JSON.stringify(verdictRecord(result))) + '\n' : verdictText(result));
      process.exitCode = result.met ? 0 : 1;
    });
}

function nonNegativeInt(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} expects a whole number, 0 or more, got '${value}'`);
    return n;
  };
}

/**
 * The verdict goes last; a reader that already left (`trace A B | head`) closed the pipe, and
 * the exit code still carries the verdict, so EPIPE ends quietly instead of as a crash.
 */
function writeVerdict(text: string): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') notice(`cannot write the verdict: ${err.message}`);
  });
  process.stdout.write(text);
}

const cell = (s: Sighting) => (s.count ? `${s.count} @${s.firstMs!.toFixed(1)}` : '-');

function hopTable(r: TraceResult): string[] {
  const head = ['hop', 'ARP who-has', 'ARP is-at', 'echo req', 'echo reply', 'ICMP err'];
  const rows = r.hops.map((h) => [h.hop.label, cell(h.arpRequests), cell(h.arpReplies), cell(h.echoRequests), cell(h.echoReplies), cell(h.errors)].map(sanitize));
  const widths = head.map((x, i) => Math.max(x.length, ...rows.map((row) => row[i].length)));
  const fmt = (row: string[]) => '  ' + row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [fmt(head), ...rows.map(fmt)];
}

function verdictText(r: TraceResult): string {
  const lines = [`path: ${sanitize(r.plan.path)}`];
  if (r.ping) lines.push(`ping: ${r.ping.via === 'netns' ? `the host's ping in ${r.plan.from.name}'s network namespace` : `${r.plan.from.name}'s own ping (docker exec${r.ping.fallback ? `: ${r.ping.fallback}` : ''})`}${r.cold ? `, after forgetting its neighbour entry for ${r.plan.nextHopIp}` : ''}`);
  if (r.hops.length) lines.push('hops (count @ms after the ping started):', ...hopTable(r));
  const name = `${r.plan.from.name} -> ${r.plan.toName}`;
  lines.push(r.met ? `verdict: met (${sanitize(name)})` : `verdict: NOT met (${sanitize(name)})`);
  lines.push(`  ${sanitize(r.verdict.summary)}`);
  if (r.reasons.length) lines.push('why:');
  for (const reason of r.reasons) lines.push(`  - ${sanitize(reason.text)}`);
  return lines.join('\n') + '\n';
}

function verdictRecord(r: TraceResult) {
  return {
    from: r.plan.from.name,
    to: r.plan.toName,
    toKind: r.plan.toKind,
    fromIp: r.plan.fromIp,
    toIp: r.plan.toIp,
    path: r.plan.path,
    loopback: r.plan.loopback,
    bridges: r.plan.bridges,
    met: r.met,
    verdict: r.verdict.summary,
    segment: r.verdict.segment,
    evidence: r.verdict.evidence,
    reasons: r.reasons,
    hops: r.hops.map((h) => ({ interface: h.hop.interface, role: h.hop.role, label: h.hop.label, arpRequests: h.arpRequests, arpReplies: h.arpReplies, echoRequests: h.echoRequests, echoReplies: h.echoReplies, icmpErrors: h.errors, answeringMacs: h.answeringMacs })),
    ping: r.ping && { via: r.ping.via, fallback: r.ping.fallback, exitCode: r.ping.exitCode, transmitted: r.ping.transmitted, received: r.ping.received },
    cold: r.cold,
    frames: r.frames.length,
    host: r.host && { bridgeNetfilter: r.host.bridgeNetfilter, links: r.host.links, iccDisabled: r.host.iccDisabled, firewallError: r.host.after.error },
  };
}
