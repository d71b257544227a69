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
 * libpcap received in that second. Prints one JSON line.
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
  const rates: { header: number; received: number }[] = [];
  let lastReceived = 0;
  let lastAt = performance.now();
  const rate = setInterval(() => {
    const received = source.stats().reduce((n, s) => n + s.received, 0);
    const now = performance.now();
    store.flush();
    rates.push({ header: store.getSnapshot().framesPerSecond, received: ((received - lastReceived) * 1000) / (now - lastAt) });
    lastReceived = received;
    lastAt = now;
  }, 1000);
  const stop = setTimeout(() => void source.close(), seconds * 1000);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const error = await pumpSource(source, store);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  for (const t of [rss, rate]) clearInterval(t);
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
      rates: rates.slice(1, -1),
    }) + '\n',
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
