import './interactive-env.js';
import { render } from 'ink';
import type { Resolver } from '../model/endpoint.js';
import type { Topology } from '../model/topology.js';
import type { CaptureSource } from '../source/frame-batch.js';
import { App } from './components/app.js';
import { pumpSource } from './pipeline.js';
import { defaultSavePath, saveShownFrames } from './save.js';
import type { AnalysisFeed } from './store/analysis-feed.js';
import { analyzerFeed } from './store/analyzer-feed.js';
import { DEFAULT_RING_FRAMES, type FrameRingOptions } from './store/frame-ring.js';
import { TuiStore } from './store/tui-store.js';

export interface TuiOptions {
  resolver: Resolver;
  /** What is being looked at: a file name, or targets and bridge for a live capture. */
  title: string;
  /** Display filter to start with (the `/` grammar). */
  filter?: string;
  live: boolean;
  /** Show each copy of a frame seen on several interfaces as captured (default: one frame, its hops). */
  allCopies?: boolean;
  topology?: Topology;
  /** Pairs, RTT and findings for marks, detail and conversations; default: the ARP/ICMP analyzer. */
  analysis?: AnalysisFeed;
  ring?: FrameRingOptions;
  /** Where `w` writes its pcapng files (default: the working directory). */
  saveDir?: string;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
}

const ALT_SCREEN_ON = '\x1b[?1049h';
const ALT_SCREEN_OFF = '\x1b[?1049l';

/**
 * Runs the terminal UI over a source until the user quits (q, Ctrl-C): then the source is closed,
 * the pipeline drained, the screen restored and one summary line printed. A source error is shown
 * in the UI while it stays open and rethrown after it closes, so the CLI reports it as usual.
 */
export async function runTui(source: CaptureSource, opts: TuiOptions): Promise<void> {
  const stdout = opts.stdout ?? process.stdout;
  const store = new TuiStore({
    resolver: opts.resolver, ring: opts.ring, filter: opts.filter,
    analysis: opts.analysis ?? analyzerFeed(opts.resolver, opts.ring?.frames ?? DEFAULT_RING_FRAMES),
    stats: opts.live ? () => source.stats() : undefined,
  });
  let quit!: () => void;
  const quitting = new Promise<void>((resolve) => (quit = resolve));
  const save = () => {
    const path = defaultSavePath(opts.saveDir ?? process.cwd());
    try {
      const n = saveShownFrames(store, path, opts.topology);
      store.dispatch({ type: 'status', text: `saved ${n} frames to ${path}` });
    } catch (err) {
      store.dispatch({ type: 'status', text: `save failed: ${err instanceof Error ? err.message : String(err)}` });
    }
  };

  stdout.write(ALT_SCREEN_ON);
  store.startClock();
  // Ink spreads options over its defaults: an explicit `stdin: undefined` would replace process.stdin.
  const app = render(<App store={store} title={opts.title} live={opts.live} topology={opts.topology} quit={quit} save={save} />, {
    stdout, stdin: opts.stdin ?? process.stdin, exitOnCtrlC: false, patchConsole: true, maxFps: 30,
  });
  const pumped = pumpSource(source, store, { allCopies: opts.allCopies });
  let error: unknown;
  try {
    await quitting;
    await source.close();
    error = await pumped;
  } finally {
    app.unmount();
    await app.waitUntilExit().catch(() => undefined);
    store.dispose();
    stdout.write(ALT_SCREEN_OFF);
  }
  const snap = store.getSnapshot();
  const drops = opts.live ? `, ${snap.kernelDrops} dropped by the kernel` : '';
  stdout.write(`bridgescope: ${snap.frames} frames${drops}\n`);
  if (error !== undefined) throw error;
}
