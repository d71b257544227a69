import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { escapeJson } from '../../present/sanitize.js';
import { daemonOptions, positiveInt, positiveNumber, sshOptions } from '../options.js';
import { daemonsFrom } from '../../docker/daemons.js';
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
  ipv6?: boolean;
  host: string[];
  context: string[];
  sshConfig?: string;
  sshOption: string[];
}

export function registerTrace(program: Command): void {
  daemonOptions(sshOptions(program
    .command('trace')
    .description('ping from container A to B and watch every hop (A\'s veth, the bridges, B\'s veth): where the packets stop, and why')
    .argument('<from>', 'container that pings')
    .argument('<to>', 'container, IPv4 or IPv6 address, "gateway" or "host"')
    .option('-c, --count <n>', 'echo requests to send', positiveInt('--count'), 3)
    .option('-i, --interval <s>', 'seconds between echo requests', positiveNumber('--interval'), 0.2)
    .option('-s, --size <bytes>', 'ICMP payload bytes', nonNegativeInt('--size'), 56)
    .option('--timeout <s>', 'seconds to wait for a reply', positiveNumber('--timeout'), 1)
    .option('-6, --ipv6', 'over IPv6 (a dual-stack network): ping -6, Neighbor Discovery where ARP is')
    .option('--cold', "forget A's neighbour entry first, so ARP is seen before the echoes")
    .option('--via <how>', 'netns: the host\'s ping in A\'s namespace; exec: the container\'s own ping (default: netns when root)')
    .option('-w, --write <file>', "keep every hop's copy of every frame (.pcapng keeps interface names and the topology)")
    .option('--json', 'print the verdict as one JSON object instead of lines'), "an ssh:// host's firewall"))
    .action(async (from: string, to: string, flags: TraceFlags) => {
      if (flags.via !== undefined && flags.via !== 'netns' && flags.via !== 'exec') throw new UsageError(`--via expects netns or exec, got '${flags.via}'`);
      const daemons = daemonsFrom(flags.host, flags.context);
      const { runTrace } = await import('../../session/trace.js');
      const { verdictRecord, verdictText } = await import('../../session/trace-report.js');
      const result = await runTrace({
        from, to, ipv6: flags.ipv6, count: flags.count, interval: flags.interval, size: flags.size, timeout: flags.timeout, cold: flags.cold,
        via: flags.via, write: flags.write,
        out: flags.json ? undefined : process.stdout,
        onNotice: notice,
        daemons,
        ssh: { config: flags.sshConfig, options: flags.sshOption },
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
