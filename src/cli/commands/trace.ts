import type { Command } from 'commander';
import type { RttSummary } from '../../analyze/rtt-stats.js';
import { runTrace, type TraceResult } from '../../session/trace.js';
import { positiveInt } from '../options.js';

interface TraceFlags {
  count: number;
  write?: string;
  json?: boolean;
}

export function registerTrace(program: Command): void {
  program
    .command('trace')
    .description('live-trace a ping from container A to container B: ARP then ICMP, named, with RTT and a verdict')
    .argument('<from>', 'container that pings')
    .argument('<to>', 'container that should answer')
    .option('-c, --count <n>', 'echo requests to send', positiveInt('--count'), 3)
    .option('-w, --write <file>', 'keep the capture (.pcapng keeps the names)')
    .option('--json', 'print the verdict as one JSON object instead of lines')
    .action(async (from: string, to: string, flags: TraceFlags) => {
      const result = await runTrace({
        from,
        to,
        count: flags.count,
        write: flags.write,
        out: flags.json ? undefined : process.stdout,
        onNotice: (m) => process.stderr.write(`bridgescope: ${m}\n`),
      });
      writeVerdict(flags.json ? JSON.stringify(verdictRecord(result)) + '\n' : verdictText(result));
      process.exitCode = result.met ? 0 : 1;
    });
}

/**
 * The verdict goes last; a reader that already left (`trace A B | head`) closed the pipe, and
 * the exit code still carries the verdict, so EPIPE ends quietly instead of as a crash.
 */
function writeVerdict(text: string): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') process.stderr.write(`bridgescope: cannot write the verdict: ${err.message}\n`);
  });
  process.stdout.write(text);
}

function ms(ns: number | undefined): string {
  return ns === undefined ? '-' : (ns / 1e6).toFixed(3);
}

function rtt(r: RttSummary): string {
  return r.count ? `rtt min/avg/max/p99 = ${ms(r.minNs)}/${ms(r.avgNs)}/${ms(r.maxNs)}/${ms(r.p99Ns)} ms` : 'no rtt';
}

function verdictText(r: TraceResult): string {
  const lines = [`path: ${r.plan.path}`];
  for (const p of r.report?.pairs ?? []) {
    lines.push(`${p.a} <-> ${p.b}: ARP ${p.arp.requests} requests / ${p.arp.replies} replies; ICMP ${p.icmp.requests} requests / ${p.icmp.replies} replies, ${rtt(p.icmp.rtt)}`);
  }
  lines.push(r.met ? `verdict: met (${r.plan.from.name} -> ${r.plan.to.name})` : `verdict: NOT met (${r.plan.from.name} -> ${r.plan.to.name})`);
  for (const reason of r.reasons) lines.push(`  - ${reason}`);
  return lines.join('\n') + '\n';
}

function verdictRecord(r: TraceResult) {
  return {
    from: r.plan.from.name,
    to: r.plan.to.name,
    path: r.plan.path,
    bridges: r.plan.bridges,
    met: r.met,
    reasons: r.reasons,
    frames: r.frames.length,
    pairs: r.report?.pairs ?? [],
    findings: r.report?.findings ?? [],
  };
}
