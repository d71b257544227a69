import { useSyncExternalStore } from 'react';
import type { Snapshot, TuiStore } from './store/tui-store.js';

/** The store's current snapshot; re-renders only when the store publishes (throttled). */
export function useSnapshot(store: TuiStore): Snapshot {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
