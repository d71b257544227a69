import type { DockerClient } from './client.js';

/** The fields of a Docker event we act on. */
export interface DockerEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes?: Record<string, string> };
  /** Event time in nanoseconds since the epoch. */
  timeNano?: number;
  time?: number;
}

export const eventTimeSec = (e: DockerEvent): number =>
  e.timeNano !== undefined ? e.timeNano / 1e9 : (e.time ?? Date.now() / 1000);

/**
 * Subscribes to container and network events from `sinceSec`. Calls `onEvent` for each event in
 * order and `onEnd` once when the stream stops (daemon stopped, socket closed). Returns a function
 * that ends the subscription without calling `onEnd`.
 */
export async function subscribeEvents(
  client: DockerClient,
  sinceSec: number,
  onEvent: (e: DockerEvent) => void,
  onEnd: (err?: Error) => void,
): Promise<() => void> {
  const stream = (await client.call('subscribe to events', (d) =>
    d.getEvents({ since: Math.floor(sinceSec), filters: { type: ['container', 'network'] } }),
  )) as NodeJS.ReadableStream & { destroy?: () => void };
  let closed = false;
  let pending = '';
  stream.on('data', (chunk: Buffer | string) => {
    pending += chunk.toString();
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl).trim();
      pending = pending.slice(nl + 1);
      if (line) onEvent(JSON.parse(line) as DockerEvent);
    }
  });
  const finish = (err?: Error) => {
    if (closed) return;
    closed = true;
    onEnd(err);
  };
  stream.on('end', () => finish());
  stream.on('close', () => finish());
  stream.on('error', (err: Error) => finish(err));
  return () => {
    closed = true;
    stream.destroy?.();
  };
}
