import { noNames, type Resolver } from '../model/endpoint.js';
import { CpuMarkSource, processCpuSeconds } from './cpu-mark.js';
import { FILE_CASES, type SourceWrap } from './file-cases.js';

const MARK_FLAG = '--cpu-mark-at=';

/**
 * One bench case in a process of its own: `node dist/bench/worker.js CASE FILE [SNAPSHOT]
 * [--cpu-mark-at=N]`. Prints one JSON line: frames, wall seconds, CPU seconds of the run and of
 * the whole process so far, peak RSS (MB) of this process, and with the flag the process's CPU
 * once N frames had gone through (`mark`, see cpu-mark.ts).
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const markAt = args.find((a) => a.startsWith(MARK_FLAG));
  const [name, file, snapshot] = args.filter((a) => a !== markAt);
  const load = FILE_CASES[name];
  if (!load || !file) throw new Error(`usage: worker <${Object.keys(FILE_CASES).join('|')}> FILE [SNAPSHOT] [${MARK_FLAG}N]`);
  const resolver: Resolver = snapshot ? await loadResolver(snapshot) : noNames;
  const run = await load();
  let marked: CpuMarkSource | undefined;
  const wrap: SourceWrap = markAt ? (s) => (marked = new CpuMarkSource(s, Number(markAt.slice(MARK_FLAG.length)))) : (s) => s;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const frames = await run(file, resolver, wrap);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  // GNU time counts in 10 ms steps: too coarse for a 10-frame run's start-up (cost-split.ts).
  const total = processCpuSeconds();
  process.stdout.write(JSON.stringify({ frames, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, processCpuSeconds: total, peakRssMb, mark: marked?.mark }) + '\n');
}

async function loadResolver(snapshot: string): Promise<Resolver> {
  const { loadSnapshotFile } = await import('../session/snapshot-load.js');
  const { TopologyResolver } = await import('../annotate/topology-resolver.js');
  return new TopologyResolver(await loadSnapshotFile(snapshot));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
