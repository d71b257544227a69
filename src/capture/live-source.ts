import type { CaptureInterface, CaptureStats } from '../source/frame-batch.js';
import {
  BpfFilterError,
  CaptureFailedError,
  CapturePermissionError,
  InterfaceDownError,
  UnknownInterfaceError,
} from './errors.js';
import { closeMatches } from '../close-matches.js';
import { interfaceNames, requireInterface } from './interfaces.js';
import { type Direction, loadNative, type NativeBinding, type NativePcapHandle, type NativeStats } from './native.js';
import { DEFAULT_MAX_QUEUED_BYTES, type InterfaceEnd, MergedCaptureSource } from './merged-source.js';

export interface LiveCaptureOptions {
  /** BPF expression (pcap-filter syntax); default: everything. */
  filter?: string;
  /** Bytes kept per frame; default 262144 (whole frames). */
  snaplen?: number;
  /** Kernel buffer per interface in bytes; default 32 MiB. */
  bufferSize?: number;
  /**
   * Immediate mode: each frame wakes us as it arrives (lowest latency, one wake-up per frame
   * under load). Default false: the kernel fills blocks and hands them over when full or after
   * `timeoutMs`, so a frame waits at most that long and a flood costs a wake-up per block. Under
   * a flood the addon also rests up to 20 ms between reads (each read then takes several blocks,
   * and a frame may wait that much longer), never so long that the kernel buffer fills.
   */
  immediate?: boolean;
  /** Without immediate mode, the longest a frame waits in a partly filled kernel block; default 10 ms. */
  timeoutMs?: number;
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
   * Bytes of delivered-but-unconsumed frames before reading pauses; default 16 MiB. Past it the
   * kernel buffer absorbs the burst and then drops, and pcap_stats counts those drops.
   */
  maxQueuedBytes?: number;
  /** Called when one interface stops by itself (deleted, set down); the others go on. */
  onInterfaceEnd?: (end: InterfaceEnd) => void;
  /** Keep the stream open when no interface is left, until close() (see MergeOptions). */
  holdOpen?: boolean;
  /** The addon to use; default the built one (loadNative). */
  binding?: NativeBinding;
}

const DEFAULTS = {
  snaplen: 262_144,
  bufferSize: 32 * 1024 * 1024,
  immediate: false,
  timeoutMs: 10,
  promisc: true,
  direction: 'inout' as Direction,
  mergeWindowMs: 20,
  maxQueuedBytes: DEFAULT_MAX_QUEUED_BYTES,
};

/**
 * Opens a live capture on one or more interfaces with the native libpcap engine. Frames of all
 * targets come as one timeline ordered by timestamp; `batch.ifIndex[i]` is the position of the
 * frame's interface in `interfaces`. Throws the typed errors of ./errors.ts; when one target
 * fails, those already opened are closed. With `holdOpen`, `targets` may be empty: interfaces
 * come later, by addInterface().
 */
export function openLiveCapture(targets: readonly string[], options: LiveCaptureOptions = {}): LiveCaptureSource {
  const names = [...new Set(targets)];
  if (names.length === 0 && !options.holdOpen) throw new UnknownInterfaceError('(none)', interfaceNames().slice(0, 3));
  const o = withDefaults(options);
  const opened: OpenedLane[] = [];
  try {
    for (const name of names) opened.push(openLane(o, name));
  } catch (err) {
    for (const l of opened) l.handle.close();
    throw err;
  }
  return new LiveCaptureSource(opened, o);
}

interface OpenedLane {
  handle: NativePcapHandle;
  iface: Omit<CaptureInterface, 'id'>;
  /** libpcap's activation warning (e.g. promiscuous mode not supported), with the interface name. */
  warning?: string;
}

/** One interface opened (not started) with the capture's options. */
function openLane(o: Options, name: string): OpenedLane {
  const hostIfIndex = requireInterface(name);
  const handle = new o.binding.PcapHandle();
  try {
    const res = handle.open(name, {
      snaplen: o.snaplen,
      bufferSize: o.bufferSize,
      immediate: o.immediate,
      timeoutMs: o.timeoutMs,
      promisc: o.promisc,
      direction: o.direction,
      filter: o.filter ?? '',
    });
    return {
      handle,
      iface: { linkType: res.datalink, snapLen: o.snaplen, name, hostIfIndex },
      warning: res.warning ? `${name}: ${res.warning}` : undefined,
    };
  } catch (err) {
    handle.close();
    throw captureOpenError(err, name, o.filter);
  }
}

/** Maps what the addon throws on open to the typed error a user can act on. */
export function captureOpenError(err: unknown, name: string, filter?: string): Error {
  const e = err as { code?: string; message?: string };
  const message = e.message ?? String(err);
  const cause = { cause: err };
  switch (e.code) {
    case 'PCAP_PERM_DENIED':
      return new CapturePermissionError(name, cause);
    case 'PCAP_NO_SUCH_DEVICE':
      return new UnknownInterfaceError(name, closeMatches(name, interfaceNames()), cause);
    case 'PCAP_IFACE_NOT_UP':
      return new InterfaceDownError(name, cause);
    case 'PCAP_BAD_FILTER':
      return new BpfFilterError(filter ?? '', message, cause);
    case undefined:
      return err instanceof Error ? err : new CaptureFailedError(name, message, cause);
    default:
      return new CaptureFailedError(name, message.replace(`${name}: `, ''), cause);
  }
}

type Options = typeof DEFAULTS & LiveCaptureOptions & { binding: NativeBinding };

/** Defaults for every option left out or passed as undefined (as a CLI passes absent flags). */
function withDefaults(options: LiveCaptureOptions): Options {
  const set = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return { ...DEFAULTS, ...set, binding: options.binding ?? loadNative() };
}

export class LiveCaptureSource extends MergedCaptureSource {
  readonly engine = 'native' as const;
  /** Warnings libpcap gave at activation (e.g. promiscuous mode not supported). */
  readonly warnings: string[] = [];
  private readonly handles: NativePcapHandle[] = [];
  private readonly lastStats: NativeStats[] = [];

  constructor(
    lanes: OpenedLane[],
    private readonly options: Options,
  ) {
    super([], options);
    for (const l of lanes) this.startLane(l);
  }

  addInterface(name: string): CaptureInterface {
    if (this.closed) throw new CaptureFailedError(name, 'the capture has ended');
    return this.interfaces[this.startLane(openLane(this.options, name))];
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

  protected stopEngine(): void {
    this.stats(); // the last live figures, in case libpcap cannot read them at close
    for (const h of this.handles) h.close();
  }

  protected setReading(on: boolean): void {
    for (const h of this.handles) {
      if (on) h.resume();
      else h.pause();
    }
  }

  private startLane({ handle, iface, warning }: OpenedLane): number {
    const lane = this.addLane(iface);
    this.handles.push(handle);
    this.lastStats.push({ received: 0, droppedByKernel: 0, droppedByInterface: 0 });
    if (warning) this.warnings.push(warning);
    handle.start(
      (arena, headers) => this.deliver(lane, arena, headers, true, undefined, () => handle.recycle(headers.buffer)),
      (reason, code) => this.laneEnded(lane, reason, code),
    );
    if (this.paused) handle.pause();
    return lane;
  }
}
