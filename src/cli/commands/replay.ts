import type { Command } from 'commander';
import { printFrames } from '../../session/frame-printer.js';
import { daemonOptions, positiveInt, positiveNumber, vxlanPortOption, vxlanPortsOf } from '../options.js';
import { replayNames } from '../../session/replay-names.js';
import { wantsTui } from '../tui-choice.js';
import { writeStderr } from '../stderr.js';

interface ReplayFlags {
  json?: boolean;
  count?: number;
  realtime?: boolean;
  speed?: number;
  nano?: boolean;
  date?: boolean;
  topology?: string;
  names: boolean;
  docker?: boolean;
  host: string[];
  context: string[];
  tui: boolean;
  analysis: boolean;
  filter?: string;
  vxlanPort?: number[];
  allCopies?: boolean;
}

export function registerReplay(program: Command): void {
  daemonOptions(vxlanPortOption(program
    .command('replay')
    .description('read a saved .pcap/.pcapng (or - for standard input) and show every frame, named by container')
    .argument('<file>', 'capture file, or - to read a capture from standard input')
    .option('--json', 'one JSON object per frame (NDJSON; fields in the README)')
    .option('-c, --count <n>', 'stop after n frames', positiveInt('--count'))
    .option('--realtime', "pace output by the frames' timestamps")
    .option('--speed <x>', 'pace output at x times real time', positiveNumber('--speed'))
    .option('--nano', 'print timestamps with nanosecond digits')
    .option('--date', 'print the date before the time')
    .option('--topology <file>', 'names from this topology snapshot (default: the one stored with the capture)')
    .option('--no-names', 'show addresses only')
    .option('--docker', 'names from the running Docker daemon instead of the stored snapshot')
    .option('--no-analysis', 'do not pair requests with replies (no RTT, no ! findings lines)')
    .option('--all-copies', 'show each copy of a frame seen on several interfaces as captured (default: one frame with its hops)')
    .option('--no-tui', 'print lines even on a terminal')
    .option('--filter <expr>', 'UI only: display filter to start with (e.g. "icmp and web-bridge-2")')))
    .action(async (file: string, flags: ReplayFlags) => {
      const names = await replayNames(file, flags);
      const source = names.source;
      try {
        if (wantsTui(flags)) {
          const { runTui } = await import('../../tui/index.js');
          await runTui(source, { resolver: names.resolver, topology: names.topology, title: file, live: false, filter: flags.filter, allCopies: flags.allCopies });
          return;
        }
        const result = await printFrames(source, {
          out: process.stdout,
          resolver: names.resolver,
          json: flags.json,
          count: flags.count,
          speed: flags.speed ?? (flags.realtime ? 1 : undefined),
          nano: flags.nano,
          date: flags.date,
          analysis: flags.analysis,
          allCopies: flags.allCopies,
          vxlanPorts: vxlanPortsOf(flags),
        });
        if (result.frames === 0 && !flags.json) writeStderr(`${file}: no frames\n`);
      } finally {
        await names.close();
      }
    });
}
