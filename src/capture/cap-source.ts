import { createRequire } from 'node:module';
import type { CaptureInterface, CaptureStats } from '../source/frame-batch.js';
import { AddonMissingError, BpfFilterError, CaptureFailedError, CapturePermissionError, FixedInterfacesError } from './errors.js';
import { requireInterface } from './interfaces.js';
import { DEFAULT_MAX_QUEUED_BYTES, type MergeOptions, MergedCaptureSource } from './merged-source.js';
import { H_CAPLEN, H_OFFSET, H_ORIGLEN, H_TS_NSEC, H_TS_SEC, HEADER_WORDS } from './native.js';

/**
 * The `cap` package (0.2.1, an optional dependency) behind the same CaptureSource as the native
 * engine, for `--engine cap` and the benchmark. Its limits, measured here:
 * - no pcap timestamp: frames are stamped with the wall clock when cap's callback runs
 *   (performance.timeOrigin + now(), microsecond-ish, after any queueing delay);
 * - no original length: origLen is the captured length; snaplen is fixed at 65535 and the
 *   interface always promiscuous;
 * - no pcap_stats: stats() reports what reached JS as `received` and cannot see kernel drops
 *   (droppedByKernel/droppedByInterface are NaN: unknown, not zero);
 * - one JS callback per frame, no pause: a slow consumer queues in memory;
 * - it aborts the process (heap corruption) under a flood ping, about 50,000 frames/s and up.
 * It also prints a "This may not actually work" warning on stderr for interfaces without IPv4.
 */

interface CapHandle {
  open(device: string, filter: string, bufferSize: number, buffer: Buffer): string;
  on(event: 'packet', listener: (nbytes: number, truncated: boolean) => void): void;
  close(): void;
}

interface CapModule {
  Cap: new () => CapHandle;
}

export interface CapCaptureOptions extends Partial<MergeOptions> {
  filter?: string;
  /** Kernel buffer per interface in bytes; default 32 MiB. */
  bufferSize?: number;
}

/** cap's names for link types, to LINKTYPE_* numbers. */
const LINK_TYPES: Record<string, number> = { NULL: 0, ETHERNET: 1, RAW: 101, IEEE802_11_RADIO: 127, LINKTYPE_LINUX_SLL: 113 };
const CAP_SNAPLEN = 65535;
/** Frames gathered per lane before a chunk is handed to the merge (also flushed every loop turn). */
const CHUNK_FRAMES = 1024;

function loadCap(): CapModule {
  try {
    return createRequire(import.meta.url)('cap') as CapModule;
  } catch (err) {
    throw new AddonMissingError('cap', String((err as Error).message).split('\n')[0], { cause: err });
  }
}

export function openCapCapture(targets: readonly string[], options: CapCaptureOptions = {}): CapCaptureSource {
  const { Cap } = loadCap();
  const opened: Array<{ cap: CapHandle; buffer: Buffer }> = [];
  const interfaces: CaptureInterface[] = [];
  try {
    for (const name of new Set(targets)) {
      const hostIfIndex = requireInterface(name);
      const cap = new Cap();
      const buffer = Buffer.alloc(CAP_SNAPLEN);
      let linkName: string;
      try {
        linkName = cap.open(name, options.filter ?? '', options.bufferSize ?? 32 * 1024 * 1024, buffer);
      } catch (err) {
        throw capOpenError(err, name, options.filter);
      }
      opened.push({ cap, buffer });
      const linkType = LINK_TYPES[linkName];
      if (linkType === undefined) throw new CaptureFailedError(name, `cap reports link type ${linkName}`);
      interfaces.push({ id: interfaces.length, linkType, snapLen: CAP_SNAPLEN, name, hostIfIndex });
    }
  } catch (err) {
    for (const o of opened) o.cap.close();
    throw err;
  }
  return new CapCaptureSource(opened, interfaces, {
    mergeWindowMs: options.mergeWindowMs ?? 20,
    maxQueuedBytes: options.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES,
    onInterfaceEnd: options.onInterfaceEnd,
  });
}

/** cap throws plain Errors with libpcap's text; sort them into the typed errors. */
function capOpenError(err: unknown, name: string, filter?: string): Error {
  const message = String((err as Error)?.message ?? err);
  const cause = { cause: err };
  if (/permitted|permission/i.test(message)) return new CapturePermissionError(name, cause);
  if (/syntax error|parse filter|filter expression/i.test(message)) return new BpfFilterError(filter ?? '', message, cause);
  return new CaptureFailedError(name, message, cause);
}

/** Per-interface chunk under construction; headers() lays it out as the addon does (columns). */
class LaneChunk {
  arena = new Uint8Array(CHUNK_FRAMES * 128);
  readonly columns = Array.from({ length: HEADER_WORDS }, () => new Uint32Array(CHUNK_FRAMES));
  count = 0;
  used = 0;

  add(frame: Buffer, len: number): void {
    if (this.used + len > this.arena.length) {
      const grown = new Uint8Array(Math.max(this.arena.length * 2, this.used + len));
      grown.set(this.arena.subarray(0, this.used));
      this.arena = grown;
    }
    this.arena.set(frame.subarray(0, len), this.used);
    const ms = performance.timeOrigin + performance.now();
    const sec = Math.floor(ms / 1000);
    const i = this.count++;
    this.columns[H_OFFSET][i] = this.used;
    this.columns[H_CAPLEN][i] = len;
    this.columns[H_ORIGLEN][i] = len;
    this.columns[H_TS_SEC][i] = sec;
    this.columns[H_TS_NSEC][i] = Math.min(999_999_999, Math.round((ms - sec * 1000) * 1e6));
    this.used += len;
  }

  headers(): Uint32Array {
    const out = new Uint32Array(HEADER_WORDS * this.count);
    this.columns.forEach((c, k) => out.set(c.subarray(0, this.count), k * this.count));
    return out;
  }
}

export class CapCaptureSource extends MergedCaptureSource {
  readonly engine = 'cap' as const;
  private readonly received: number[];
  private readonly chunks: LaneChunk[];
  private flushScheduled: NodeJS.Immediate | null = null;
  private stopped = false;

  constructor(
    private readonly caps: Array<{ cap: CapHandle; buffer: Buffer }>,
    interfaces: CaptureInterface[],
    options: MergeOptions,
  ) {
    super(interfaces, options);
    this.received = caps.map(() => 0);
    this.chunks = caps.map(() => new LaneChunk());
    caps.forEach(({ cap, buffer }, lane) =>
      cap.on('packet', (nbytes) => {
        if (this.stopped) return;
        this.received[lane]++;
        const chunk = this.chunks[lane];
        chunk.add(buffer, Math.min(nbytes, CAP_SNAPLEN));
        if (chunk.count === CHUNK_FRAMES) this.flush(lane);
        else this.flushScheduled ??= setImmediate(() => this.flushAll());
      }),
    );
  }

  /** cap's handles are set up in the constructor with their lane numbers; it stays fixed-lane. */
  addInterface(name: string): CaptureInterface {
    throw new FixedInterfacesError(name);
  }

  /** cap has no pcap_stats: received is what reached JS; drops are unknown (NaN). */
  stats(): CaptureStats[] {
    return this.interfaces.map((i, lane) => ({
      interface: i.name ?? String(lane),
      received: this.received[lane],
      droppedByKernel: Number.NaN,
      droppedByInterface: Number.NaN,
    }));
  }

  protected stopEngine(): void {
    this.stopped = true;
    this.flushAll();
    for (const { cap } of this.caps) cap.close();
  }

  /** cap cannot pause; frames queue in memory instead (one of its documented limits). */
  protected setReading(): void {}

  private flushAll(): void {
    if (this.flushScheduled) clearImmediate(this.flushScheduled);
    this.flushScheduled = null;
    this.chunks.forEach((c, lane) => {
      if (c.count > 0) this.flush(lane);
    });
  }

  private flush(lane: number): void {
    const c = this.chunks[lane];
    this.deliver(lane, c.arena.subarray(0, c.used), c.headers());
    this.chunks[lane] = new LaneChunk();
  }
}
