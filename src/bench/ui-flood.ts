import { openCapture } from '../capture/index.js';
import { noNames } from '../model/endpoint.js';
import { pumpSource } from '../tui/pipeline.js';
import { analyzerFeed } from '../tui/store/analyzer-feed.js';
import { DEFAULT_RING_FRAMES } from '../tui/store/frame-ring.js';
import { TuiStore } from '../tui/store/tui-store.js';
import { FrameRowsModel } from '../tui/view-model/frame-rows.js';

/**
 * The UI's memory case of `npm run bench`, in a process of its own so its RSS is its own:
 * `node dist/bench/ui-flood.js IFACE SECONDS` captures IFACE live into the UI store (analyzer,
 * spill file, the visible rows built at every publish, as runTui has them, without a terminal)
 * for SECONDS, samples RSS every 250 ms, and once a second compares the header's rate with what
 * libpcap received in the second its window covers. Prints one JSON line.
 */
async function main(): Promise<void> {
  const [iface, secondsArg] = process.argv.slice(2);
  const seconds = Number(secondsArg);
  if (!iface || !(seconds > 0)) throw new Error('usage: ui-flood IFACE SECONDS');
  const source = openCapture([iface]);
  const store = new TuiStore({ resolver: noNames, analysis: analyzerFeed(noNames, DEFAULT_RING_FRAMES), stats: () => source.stats() });
  const rows = new FrameRowsModel(store);
  store.dispatch({ type: 'listRows', rows: 40 });
  store.subscribe(() => rows.rows(store.getSnapshot()));
  store.startClock();

  let peakRss = process.memoryUsage.rss();
  const rss = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 250);
  // libpcap's received counter, sampled with the wall clock (the clock the kernel stamps frames
  // with), gives the true rate over the very second the header's window covers.
  const samples: { atMs: number; received: number }[] = [];
  const sample = setInterval(() => samples.push({ atMs: Date.now(), received: source.stats().reduce((n, st) => n + st.received, 0) }), 50);
  const receivedAt = (ms: number): number | undefined => {
    const k = samples.findIndex((x) => x.atMs >= ms);
    if (k <= 0) return undefined;
    const [a, b] = [samples[k - 1], samples[k]];
    return a.received + ((b.received - a.received) * (ms - a.atMs)) / Math.max(1, b.atMs - a.atMs);
  };
  const readings: { header: number; windowEndMs: number }[] = [];
  const rate = setInterval(() => {
    store.flush();
    const newest = store.frames.end - 1;
    if (newest < 0) return;
    // RateMeter's window: the whole second of 10 ms buckets before the newest frame's bucket.
    const newestMs = store.frames.tsSecOf(newest) * 1000 + store.frames.tsNsecOf(newest) / 1e6;
    readings.push({ header: store.getSnapshot().framesPerSecond, windowEndMs: Math.floor(newestMs / 10) * 10 });
  }, 1000);
  const stop = setTimeout(() => void source.close(), seconds * 1000);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const error = await pumpSource(source, store);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  for (const t of [rss, rate, sample]) clearInterval(t);
  clearTimeout(stop);
  if (error !== undefined) throw error;
  const snap = store.getSnapshot();
  const spilled = store.frames.spill?.indexBytes ?? 0;
  store.dispose();
  process.stdout.write(
    JSON.stringify({
      frames: snap.frames,
      seconds: wall,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      peakRssMb: peakRss / (1024 * 1024),
      kernelDrops: snap.kernelDrops,
      ringArenaMb: store.ring.arenaBytes / (1024 * 1024),
      spillIndexMb: spilled / (1024 * 1024),
      // The first reading covers the capture's start-up and the last its end; between them, whole seconds of flood.
      rates: readings.slice(1, -1).flatMap((r) => {
        const [from, to] = [receivedAt(r.windowEndMs - 1000), receivedAt(r.windowEndMs)];
        return from === undefined || to === undefined ? [] : [{ header: r.header, received: to - from }];
      }),
    }) + '\n',
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
