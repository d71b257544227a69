import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { mergeCopies } from '../copies/copy-merge-source.js';
import { ipv4CopyLayout } from '../decode/copy-layout.js';
import type { CaptureSource } from '../source/frame-batch.js';
import type { TuiStore } from './store/tui-store.js';

/** How long the pump may hold the event loop before letting keys and renders through. */
const SLICE_MS = 20;

/**
 * Feeds a source into the store until the source ends or is closed. A file read from the page
 * cache can deliver batches without ever waiting on I/O, so the pump yields to the event loop
 * every SLICE_MS: the UI stays responsive and the capture is never paused by it. Resolves with the
 * source's error (after telling the store) rather than rejecting, so quitting stays orderly.
 * Copies of a frame seen on several interfaces reach the store as one frame with its hops, unless
 * `allCopies`.
 */
export async function pumpSource(captured: CaptureSource, store: TuiStore, opts: { allCopies?: boolean } = {}): Promise<unknown> {
  const source = mergeCopies(captured, ipv4CopyLayout, opts);
  let sliceStart = performance.now();
  try {
    for await (const batch of source) {
      store.ingest(batch);
      if (performance.now() - sliceStart > SLICE_MS) {
        await yieldToLoop();
        sliceStart = performance.now();
      }
    }
    store.end();
    return undefined;
  } catch (err) {
    store.end(err);
    return err;
  }
}
