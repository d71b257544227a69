import { fstatSync } from 'node:fs';
import { isatty } from 'node:tty';
import type { Command } from 'commander';
import type { SessionSummary } from '../../session/live-session.js';
import { UsageError } from '../../errors.js';
import { daemonOptions, duration, positiveInt, sshOptions, vxlanPortOption, vxlanPortsOf } from '../options.js';
import { STREAM_MARK, sshHostsFrom } from '../../capture/remote-target.js';
import type { CaptureSource } from '../../source/frame-batch.js';
import { daemonsFrom } from '../../docker/daemons.js';
import { wantsTui } from '../tui-choice.js';
import { notice, writeStderr } from '../stderr.js';

interface CaptureFlags {
  vxlanPort?: number[];
  filter?: string;
  write?: string;
  comments?: boolean;
  count?: number;
  duration?: number;
  snaplen?: number;
  bufferSize?: number;
  json?: boolean;
  print?: boolean;
  tui: boolean;
  analysis: boolean;
  names: boolean;
  engine: string;
  immediate?: boolean;
  nano?: boolean;
  allCopies?: boolean;
  sshConfig?: string;
  sshOption: string[];
  /** -H URLs: names from those daemons; an ssh:// one also says how to reach its host's `host:target`. */
  host: string[];
  context: string[];
}

export function registerCapture(program: Command): void {
  daemonOptions(sshOptions(vxlanPortOption(program
    .command('capture')
    .description('capture live on interfaces, containers or Docker networks and show every frame, named by container')
    .argument('<target...>', 'interface (docker0, br-xxxx, vethxxxx), container name, or Docker network name (an overlay, with -H for its hosts: its underlay and containers); host:target captures it on that host over ssh')
    .option('-f, --filter <bpf>', 'BPF capture filter (pcap-filter syntax), e.g. "arp or icmp"')
    .option('-w, --write <file>', `write every frame to FILE (.pcapng keeps names and drop counts; else pcap; -: ${STREAM_MARK}) and print only the counters`)
    .option('--print', 'with -w: also print every frame (as tcpdump --print)')
    .option('--comments', 'with -w FILE.pcapng: each frame gets its endpoint names as a packet comment (Wireshark frame.comment)')
    .option('-c, --count <n>', 'stop after n frames', positiveInt('--count'))
    .option('--duration <time>', 'stop after this long (10s, 500ms, 2m)', duration('--duration'))
    .option('--snaplen <bytes>', 'bytes kept per frame (default: whole frames)', positiveInt('--snaplen'))
    .option('--buffer-size <bytes>', 'kernel capture buffer per interface (default 32 MiB)', positiveInt('--buffer-size'))
    .option('--immediate', 'deliver each frame as it arrives (lowest latency, more CPU under load)')
    .option('--json', 'one JSON object per frame (NDJSON)')
    .option('--nano', 'print timestamps with nanosecond digits')
    .option('--no-names', 'do not ask Docker for names')
    .option('--no-analysis', 'do not pair requests with replies (no RTT, no ! findings lines)')
    .option('--all-copies', 'show each copy of a frame seen on several interfaces as captured (default: one frame with its hops)')
    .option('--no-tui', 'print lines even on a terminal')
    .option('--engine <name>', 'capture engine: native (default) or cap', 'native')), 'host:target'))
    .action(async (targets: string[], flags: CaptureFlags) => {
      if (flags.engine !== 'native' && flags.engine !== 'cap') {
        throw new UsageError(`--engine expects native or cap, got '${flags.engine}'`);
      }
      // As tcpdump: -w writes the file and prints the counters; lines cost far more than the file does.
      const lines = !flags.write || flags.print === true;
      if (!lines && flags.json) throw new UsageError('--json formats the printed lines: with -w FILE, add --print to print them');
      const stream = flags.write === '-';
      if (stream) refuseStreamConflicts(flags);
      // wantsTui opens process.stdout, which makes a pipe non-blocking: the stream never asks.
      const tui = !stream && wantsTui(flags);
      // -c counts frames as shown: merged ones by the printer, copies (and the UI's, and the file's) by the session.
      const countCopies = flags.allCopies || tui || !lines;
      // Loaded here, not at start-up: every other command would pay for the capture stack.
      const { startLiveSession } = await import('../../session/live-session.js');
      const session = await startLiveSession({
        targets,
        filter: flags.filter,
        write: flags.write,
        comments: flags.comments,
        count: countCopies ? flags.count : undefined,
        snaplen: flags.snaplen,
        bufferSize: flags.bufferSize,
        immediate: flags.immediate,
        engine: flags.engine,
        names: flags.names,
        ssh: { config: flags.sshConfig, options: flags.sshOption, hosts: sshHostsFrom(flags.host) },
        daemons: daemonsFrom(flags.host, flags.context),
        onNotice: notice,
      });
      // One interface has no copies to merge: the session stops at -c, so the file holds exactly N.
      if (!countCopies && flags.count !== undefined && session.interfaces.length === 1) session.source.limitTo(flags.count);
      const stop = () => void session.stop();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      const timer = flags.duration ? setTimeout(stop, flags.duration) : undefined;
      const input = stream ? stopAtEndOfInput(stop) : undefined;
      let summary: SessionSummary;
      try {
        if (!flags.json) notice(`capturing on ${session.description}${flags.filter ? ` (filter: ${flags.filter})` : ''}`);
        if (tui) {
          const { runTui } = await import('../../tui/index.js');
          await runTui(session.source, { resolver: session.resolver, topology: session.topology, title: session.description, live: true, allCopies: flags.allCopies });
        } else if (!lines) {
          await drain(session.source);
        } else {
          const { printFrames } = await import('../../session/frame-printer.js');
          await printFrames(session.source, {
            out: process.stdout, resolver: session.resolver, json: flags.json, nano: flags.nano, analysis: flags.analysis,
            count: countCopies ? undefined : flags.count, allCopies: flags.allCopies, vxlanPorts: vxlanPortsOf(flags),
          });
        }
      } finally {
        clearTimeout(timer);
        input?.destroy();
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        summary = await session.stop();
      }
      writeStderr(summaryText(summary));
      // As tcpdump: a capture that ran out of interfaces did not end as asked (-c, --duration, Ctrl-C).
      if (summary.exhausted) process.exitCode = 1;
    });
}

/** `-w -` fills standard output with pcapng: nothing else may write there, and no terminal may get it. */
function refuseStreamConflicts(flags: CaptureFlags): void {
  if (flags.print) throw new UsageError('--print writes lines to standard output, which -w - fills with the capture');
  if (isatty(1)) throw new UsageError('-w - writes pcapng to standard output, which is a terminal here: pipe it (-w - | tshark -r -) or give a file');
}

/**
 * A stream's reader may be a program at the other end of a pipe or an ssh session: when our input
 * from it ends (ssh's session closed, the pipe's writer gone) the capture stops as on Ctrl-C. A
 * terminal, a file or /dev/null as input is not such a peer and is not read.
 */
function stopAtEndOfInput(stop: () => void): NodeJS.ReadStream | undefined {
  const st = fstatSync(0);
  if (!st.isFIFO() && !st.isSocket()) return undefined;
  process.stdin.once('end', stop);
  process.stdin.on('data', () => undefined);
  return process.stdin;
}

/** Pulls every batch through the session (which writes it to the file) without decoding it. */
async function drain(source: CaptureSource): Promise<void> {
  for await (const b of source) void b;
}

/** tcpdump's closing counters, per interface; why an interface ended was said when it did. */
function summaryText(s: SessionSummary): string {
  const written = s.written === '-' ? 'standard output' : s.written;
  const lines = [`${s.frames} frames captured${written ? ` (written to ${written})` : ''}`];
  for (const st of s.stats) {
    lines.push(`${st.interface}: ${st.received} received by filter, ${st.droppedByKernel} dropped by kernel, ${st.droppedByInterface} dropped by interface`);
  }
  return lines.join('\n') + '\n';
}
