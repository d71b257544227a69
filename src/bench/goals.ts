import { splitOverDecode, type CostSplit, type SplitCase } from './cost-split.js';
import type { LiveResults } from './live.js';
import { LIVE_ROWS } from './live.js';
import { cpu, fmt, type BenchRow } from './row.js';
import type { ToolRun } from './tools.js';

/** One row of the goal table: what the case is, what this run measured, the goal, and whether it holds. */
export interface Goal {
  name: string;
  now: string;
  goal: string;
  met: boolean;
}

/** Everything one run measured that a goal reads. Ratios are against tools run in the same run. */
export interface Measured {
  tcpdumpText: BenchRow;
  tshark: BenchRow;
  file: (name: string) => BenchRow;
  /** tcpdump -nn -e -r then `replay --json`, run in turn on the same file. */
  jsonPairs: { tcpdump: ToolRun; ours: ToolRun }[];
  live: LiveResults;
  /** Start-up, warm-up and steady cost of decode, names, analysis, echo-floor and echo-lean (cost-split.ts). */
  splits: Record<SplitCase, CostSplit>;
  /** The same-size and larger-file memory cases kept from earlier issues. */
  pipelineRssMb: number;
  fileUiRssMb: number;
  hostileRssMb: number;
  bigFileGb: number;
  hostileMb: number;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** The rows of issue 13's table, then the memory goals of earlier issues, each met or not. */
export function goals(m: Measured): Goal[] {
  const decode = m.file('bridgescope read+decode');
  const extra = (r: BenchRow) => (cpu(r) / cpu(decode) - 1) * 100;
  const names = m.file('bridgescope decode+names');
  const analysis = m.file('bridgescope decode+analysis');
  const namedAnalysis = m.file('bridgescope decode+names+analysis');
  const text = m.file('bridgescope text');
  const live = (name: string) => m.live.rows.find((r) => r.name === name)!;
  const tcpdumpW = live(LIVE_ROWS.tcpdump);
  const vsTcpdumpW = (r: BenchRow) => cpu(r) / cpu(tcpdumpW);
  const write = live(LIVE_ROWS.write);
  const decodeWrite = live(LIVE_ROWS.decodeWrite);
  const uiStore = live(LIVE_ROWS.uiStore);
  const cli = live(LIVE_ROWS.cli);
  const beside = live(LIVE_ROWS.cliTcpdump);
  const jsonCpu = sum(m.jsonPairs.map((p) => p.ours.cpuSeconds)) / sum(m.jsonPairs.map((p) => p.tcpdump.cpuSeconds));
  const jsonWall = sum(m.jsonPairs.map((p) => p.ours.seconds)) / sum(m.jsonPairs.map((p) => p.tcpdump.seconds));
  const ui = m.live.ui;
  const rates = ui.rates.filter((r) => r.received > 0);
  const close = rates.filter((r) => Math.abs(r.header - r.received) / r.received <= 0.1).length;
  const worst = Math.max(0, ...rates.map((r) => Math.abs(r.header - r.received) / r.received));
  const drops = (r: BenchRow) => r.kernelDrops ?? Number.NaN;
  return [
    {
      name: 'read + decode',
      now: `${fmt(decode.framesPerSec / 1e6, 2)} M frames/s, ${fmt(decode.framesPerSec / m.tcpdumpText.framesPerSec, 1)} x tcpdump -nn -e -r, ${fmt(decode.framesPerSec / m.tshark.framesPerSec, 1)} x tshark`,
      goal: '>= 6 M frames/s',
      met: decode.framesPerSec >= 6e6,
    },
    {
      name: 'decode + names',
      now: `+${fmt(extra(names), 1)}% CPU over decode; ${splitOverDecode(m.splits.names, m.splits.decode)}`,
      goal: '<= 10%',
      met: extra(names) <= 10,
    },
    {
      name: 'decode + analysis',
      now: `+${fmt(extra(analysis), 1)}% CPU over decode (+${fmt(extra(namedAnalysis), 1)}% with names, the snapshot's load included); ${splitOverDecode(m.splits.analysis, m.splits.decode)}; the least echo pairing (echo-floor): ${splitOverDecode(m.splits['echo-floor'], m.splits.decode)}; a plain flood pairing (echo-lean): ${splitOverDecode(m.splits['echo-lean'], m.splits.decode)}`,
      goal: '<= 30%',
      met: extra(analysis) <= 30,
    },
    {
      name: 'text to /dev/null',
      now: `${fmt(text.framesPerSec / m.tcpdumpText.framesPerSec, 2)} x tcpdump's frames/s (${fmt(cpu(m.tcpdumpText) / cpu(text), 2)} x by CPU)`,
      goal: '>= 1.5 x',
      met: text.framesPerSec >= 1.5 * m.tcpdumpText.framesPerSec,
    },
    {
      name: '`replay --json` to /dev/null',
      now: `${fmt(jsonCpu, 2)} x tcpdump text's CPU time, ${fmt(jsonWall, 2)} x its wall time (${m.jsonPairs.length} paired runs)`,
      goal: '<= 1.0 x tcpdump text (CPU time)',
      met: jsonCpu <= 1,
    },
    {
      name: 'live pcapng write, `ping -f` (nothing decodes, as `capture -w`)',
      now: `${fmt(cpu(write), 2)} CPU s per M frames = ${fmt(vsTcpdumpW(write), 2)} x tcpdump -w (${fmt(cpu(tcpdumpW), 2)}), ${fmt(drops(write))} kernel drops`,
      goal: '<= 2 x tcpdump -w, 0 kernel drops',
      met: vsTcpdumpW(write) <= 2 && drops(write) === 0,
    },
    {
      name: 'live decode + pcapng write, `ping -f`',
      now: `${fmt(cpu(decodeWrite), 2)} CPU s per M frames = ${fmt(vsTcpdumpW(decodeWrite), 2)} x tcpdump -w, ${fmt(drops(decodeWrite))} kernel drops`,
      goal: '<= 2 x tcpdump -w, 0 kernel drops',
      met: vsTcpdumpW(decodeWrite) <= 2 && drops(decodeWrite) === 0,
    },
    {
      name: '`capture IFACE -w F --no-tui` beside `tcpdump -w`',
      now: `${fmt(cpu(cli) / cpu(beside), 2)} x tcpdump's CPU per frame (${fmt(cpu(cli), 2)} against ${fmt(cpu(beside), 2)} s per M frames)`,
      goal: '<= 2 x',
      met: cpu(cli) / cpu(beside) <= 2,
    },
    {
      name: 'live + UI store, `ping -f`',
      now: `${fmt(cpu(uiStore), 2)} CPU s per M frames = ${fmt(vsTcpdumpW(uiStore), 2)} x tcpdump -w`,
      goal: '<= 3 x tcpdump -w',
      met: vsTcpdumpW(uiStore) <= 3,
    },
    {
      name: `UI during a live flood (${ui.row.name})`,
      now: `peak RSS ${fmt(ui.row.peakRssMb ?? Number.NaN, 1)} MB after ${fmt(ui.row.frames)} frames (ring arena ${fmt(ui.ringArenaMb)} MiB, spill index ${fmt(ui.spillIndexMb, 1)} MiB)`,
      goal: 'RSS < 200 MB',
      met: (ui.row.peakRssMb ?? Infinity) < 200,
    },
    {
      name: 'UI header rate',
      now: `${close} of ${rates.length} one-second readings within 10% of what libpcap received (worst ${fmt(worst * 100, 1)}% off)`,
      goal: 'within 10% of the true rate, every second',
      met: rates.length > 0 && close === rates.length,
    },
    {
      name: `pipeline on a ${fmt(m.bigFileGb, 2)} GB file (decode, text, analysis)`,
      now: `peak RSS ${fmt(m.pipelineRssMb, 1)} MB at most`,
      goal: '< 150 MB',
      met: m.pipelineRssMb < 150,
    },
    { name: 'UI store on the same file', now: `peak RSS ${fmt(m.fileUiRssMb, 1)} MB`, goal: '< 300 MB', met: m.fileUiRssMb < 300 },
    {
      name: `${fmt(m.hostileMb)} MB of commented, unanswered requests (decode, text, json)`,
      now: `peak RSS ${fmt(m.hostileRssMb, 1)} MB at most`,
      goal: '< 200 MB',
      met: m.hostileRssMb < 200,
    },
  ];
}

/** The goal table: one line per goal, `met` or `NOT MET` first. */
export function printGoals(list: Goal[]): void {
  const width = Math.max(...list.map((g) => g.name.length));
  for (const g of list) console.log(`${g.met ? 'met    ' : 'NOT MET'}  ${g.name.padEnd(width)}  ${g.now}  (goal ${g.goal})`);
}
