import type { CaptureInterface, CaptureSource, CaptureStats, FrameBatch } from '../source/frame-batch.js';
import {
  BpfFilterError,
  CaptureFailedError,
  CapturePermissionError,
  InterfaceDownError,
  UnknownInterfaceError,
} from './errors.js';
import { closeMatches, interfaceNames, requireInterface } from './interfaces.js';
import { type Direction, loadNative, type NativeBinding, type NativePcapHandle, type NativeStats } from './native.js';
import { TimelineMerge } from './timeline-merge.js';

export interface LiveCaptureOptions {
  /** BPF expression (pcap-filter syntax); default: everything. */
  filter?: string;
  /** Bytes kept per frame; default 262144 (whole frames). */
  snaplen?: number;
  /** Kernel buffer per interface in bytes; default 32 MiB. */
  bufferSize?: number;
  /** Immediate mode (each frame delivered as it arrives); default true. */
  immediate?: boolean;
  /**
   * Promiscuous mode; default true, as tcpdump. A bridge device only sees frames forwarded
   * between its ports (container to container) when promiscuous; without it, only broadcasts
   * and frames for the host.
   */
  promisc?: boolean;
  direction?: Direction;
  /** Longest a frame waits for a silent interface before it is emitted anyway; default 20 ms. */
  mergeWindowMs?: number;
  /**
   * Bytes of delivered-but-unconsumed frames before reading pauses; default 64 MiB. Past it the
   * kernel buffer absorbs the burst and then drops, and pcap_stats counts those drops.
   */
  maxQueuedBytes?: number;
  /** Called when one interface stops by itself (deleted, set down); the others go on. */
  onInterfaceEnd?: (end: InterfaceEnd) => void;
  /** The addon to use; default the built one (loadNative). */
  binding?: NativeBinding;
}

export interface InterfaceEnd {
  interface: string;
  /** libpcap's words, e.g. "The interface disappeared". */
  reason: string;
  /** The addon's code: PCAP_IFACE_NOT_UP, PCAP_ERROR, PCAP_POLL_ERROR. */
  code: string;
}

const DEFAULTS = {
  snaplen: 262_144,
  bufferSize: 32 * 1024 * 1024,
  immediate: true,
  promisc: true,
  direction: 'inout' as Direction,
  mergeWindowMs: 20,
  maxQueuedBytes: 64 * 1024 * 1024,
};

/**
 * Opens a live capture on one or more interfaces with the native libpcap engine. Frames of all
 * targets come as one timeline ordered by timestamp; `batch.ifIndex[i]` is the position of the
 * frame's interface in `interfaces`. Throws the typed errors of ./errors.ts; when one target
 * fails, those already opened are closed.
 */
export function openLiveCapture(targets: readonly string[], options: LiveCaptureOptions = {}): LiveCaptureSource {
  const names = [...new Set(targets)];
  if (names.length === 0) throw new UnknownInterfaceError('(none)', interfaceNames().slice(0, 3));
  const binding = options.binding ?? loadNative();
  const opened: NativePcapHandle[] = [];
  const interfaces: CaptureInterface[] = [];
  const warnings: string[] = [];
  const o = withDefaults(options);
  try {
    for (const name of names) {
      const hostIfIndex = requireInterface(name);
      const handle = new binding.PcapHandle();
      opened.push(handle);
      try {
        const res = handle.open(name, {
          snaplen: o.snaplen,
          bufferSize: o.bufferSize,
          immediate: o.immediate,
          promisc: o.promisc,
          direction: o.direction,
          filter: o.filter ?? '',
        });
        if (res.warning) warnings.push(`${name}: ${res.warning}`);
        interfaces.push({ id: interfaces.length, linkType: res.datalink, snapLen: o.snaplen, name, hostIfIndex });
      } catch (err) {
        throw captureOpenError(err, name, o.filter);
      }
    }
  } catch (err) {
    for (const h of opened) h.close();
    throw err;
  }
  return new LiveCaptureSource(opened, interfaces, warnings, o);
}

/** Maps what the addon throws on open to the typed error a user can act on. */
export function captureOpenError(err: unknown, name: string, filter?: string): Error {
  const e = err as { code?: string; message?: string };
  const message = e.message ?? String(err);
  switch (e.code) {
    case 'PCAP_PERM_DENIED':
      return new CapturePermissionError(name);
    case 'PCAP_NO_SUCH_DEVICE':
      return new UnknownInterfaceError(name, closeMatches(name, interfaceNames()));
    case 'PCAP_IFACE_NOT_UP':
      return new InterfaceDownError(name);
    case 'PCAP_BAD_FILTER':
      return new BpfFilterError(filter ?? '', message);
    case undefined:
      return err instanceof Error ? err : new CaptureFailedError(name, message);
    default:
      return new CaptureFailedError(name, message.replace(`${name}: `, ''));
  }
}

type Options = typeof DEFAULTS & LiveCaptureOptions;

/** Defaults for every option left out or passed as undefined (as a CLI passes absent flags). */
function withDefaults(options: LiveCaptureOptions): Options {
  const set = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return { ...DEFAULTS, ...set };
}

export class LiveCaptureSource implements CaptureSource {
  readonly engine = 'native' as const;
  readonly label: string;
  private readonly merge: TimelineMerge;
  private readonly ends: InterfaceEnd[] = [];
  private readonly lastStats: NativeStats[];
  private closed = false;
  private paused = false;
  private wake: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private pendingSignal: NodeJS.Immediate | null = null;

  constructor(
    private readonly handles: NativePcapHandle[],
    readonly interfaces: CaptureInterface[],
    /** Warnings libpcap gave at activation (e.g. promiscuous mode not supported). */
    readonly warnings: readonly string[],
    private readonly options: Options,
  ) {
    this.label = interfaces.map((i) => i.name).join(', ');
    this.merge = new TimelineMerge(interfaces);
    this.lastStats = handles.map(() => ({ received: 0, droppedByKernel: 0, droppedByInterface: 0 }));
    handles.forEach((h, lane) =>
      h.start(
        (arena, headers) => this.onBatch(lane, arena, headers),
        (reason, code) => this.onEnd(lane, reason, code),
      ),
    );
  }

  /** Interfaces that stopped by themselves, with libpcap's reason, in the order they stopped. */
  endReasons(): readonly InterfaceEnd[] {
    return this.ends;
  }

  stats(): CaptureStats[] {
    return this.handles.map((h, i) => {
      try {
        this.lastStats[i] = h.stats() ?? this.lastStats[i];
      } catch {
        // pcap_stats can fail on an interface that is going away; keep the last answer.
      }
      return { interface: this.interfaces[i].name ?? String(i), ...this.lastStats[i] };
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.stats(); // the last live figures, in case libpcap cannot read them at close
    this.closed = true;
    this.handles.forEach((h, lane) => {
      h.close();
      this.merge.end(lane);
    });
    this.signal();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<FrameBatch> {
    try {
      for (;;) {
        const batch = this.merge.take(Date.now() - this.options.mergeWindowMs);
        if (batch) {
          this.resumeIfRoom();
          yield batch;
        } else if (this.merge.drained) {
          return;
        } else {
          await this.nextEvent();
        }
      }
    } finally {
      await this.close();
    }
  }

  private onBatch(lane: number, arena: Buffer, headers: Uint32Array): void {
    // As a plain Uint8Array, so that a consumer's slice() copies (Buffer#slice is a view).
    this.merge.push(lane, new Uint8Array(arena.buffer, arena.byteOffset, arena.length), headers);
    if (!this.paused && this.merge.queuedBytes > this.options.maxQueuedBytes) {
      this.paused = true;
      for (const h of this.handles) h.pause();
    }
    this.signalAfterPoll();
  }

  private onEnd(lane: number, reason: string, code: string): void {
    const end = { interface: this.interfaces[lane].name ?? String(lane), reason, code };
    this.ends.push(end);
    this.merge.end(lane);
    this.options.onInterfaceEnd?.(end);
    this.signalAfterPoll();
  }

  private resumeIfRoom(): void {
    if (this.paused && this.merge.queuedBytes < this.options.maxQueuedBytes / 2) {
      this.paused = false;
      for (const h of this.handles) h.resume();
    }
  }

  /**
   * Waits for a delivery, an end, or the merge window of a held frame. Every wake-up but close()
   * goes through setImmediate, i.e. after the event loop's poll phase has drained every readable
   * interface: waking from inside one interface's callback would let the merge release its frames
   * (microtasks run between I/O callbacks) while an earlier frame of the next interface sits
   * unread in the same poll phase.
   */
  private nextEvent(): Promise<void> {
    const held = this.merge.heldSinceMs();
    if (held !== undefined) {
      const delay = Math.max(0, held + this.options.mergeWindowMs - Date.now());
      this.timer = setTimeout(() => this.signalAfterPoll(), delay);
    }
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  private signalAfterPoll(): void {
    this.pendingSignal ??= setImmediate(() => this.signal());
  }

  private signal(): void {
    if (this.pendingSignal) clearImmediate(this.pendingSignal);
    this.pendingSignal = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
