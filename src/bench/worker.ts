import { noNames, type Resolver } from '../model/endpoint.js';
import { FILE_CASES } from './file-cases.js';

/**
 * One bench case in a process of its own: `node dist/bench/worker.js CASE FILE [SNAPSHOT]`.
 * Prints one JSON line: frames, wall seconds, CPU seconds of the run and of the whole process so
 * far, peak RSS (MB) of this process.
 */
async function main(): Promise<void> {
  const [name, file, snapshot] = process.argv.slice(2);
  const load = FILE_CASES[name];
  if (!load || !file) throw new Error(`usage: worker <${Object.keys(FILE_CASES).join('|')}> FILE [SNAPSHOT]`);
  const resolver: Resolver = snapshot ? await loadResolver(snapshot) : noNames;
  const run = await load();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const frames = await run(file, resolver);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  // GNU time counts in 10 ms steps: too coarse for a 10-frame run's start-up (cost-split.ts).
  const all = process.cpuUsage();
  const processCpuSeconds = (all.user + all.system) / 1e6;
  process.stdout.write(JSON.stringify({ frames, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, processCpuSeconds, peakRssMb }) + '\n');
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
