import { createRequire } from 'node:module';
import { AddonMissingError } from './errors.js';

/**
 * The only place that loads native/build/Release/bridgescope_pcap.node (built from native/ by
 * scripts/build-native.mjs) and the one declaration of its surface. Callers take a
 * `NativeBinding` as a parameter where they can, so tests may hand in another.
 */

export type Direction = 'in' | 'out' | 'inout';

export interface NativeOpenOptions {
  /** Bytes kept per frame; origLen still reports the wire length. */
  snaplen: number;
  /** Kernel ring size in bytes: what absorbs bursts while JS is busy. */
  bufferSize: number;
  /** Deliver each frame as it arrives instead of when the kernel block fills. */
  immediate: boolean;
  /** Without immediate mode: longest libpcap holds a partly filled kernel block, in ms (default 10). */
  timeoutMs?: number;
  promisc: boolean;
  /** BPF expression; empty or absent captures everything. */
  filter?: string;
  direction: Direction;
}

export interface NativeOpenResult {
  /** pcap_datalink: the LINKTYPE_* of the frames (1 for Ethernet). */
  datalink: number;
  /** False when libpcap could only give microseconds (tsNsec is then a multiple of 1000). */
  nanosecond: boolean;
  /** pcap_activate's warning (e.g. promiscuous mode not supported), when it gave one. */
  warning?: string;
}

export interface NativeStats {
  received: number;
  droppedByKernel: number;
  droppedByInterface: number;
}

/**
 * Error codes the addon sets on what it throws (`err.code`) and passes to onEnd:
 * PCAP_PERM_DENIED, PCAP_NO_SUCH_DEVICE, PCAP_IFACE_NOT_UP, PCAP_BAD_FILTER, PCAP_POLL_ERROR,
 * PCAP_ERROR, PCAP_NOT_OPEN, PCAP_ALREADY_OPEN, PCAP_ALREADY_STARTED, ERR_INVALID_ARG.
 */
export type NativeErrorCode = string;

/**
 * One batch from one pcap_dispatch drain. `arena` and `headers` are fresh and owned by JS.
 * headers is struct of arrays: HEADER_WORDS columns of count = headers.length / HEADER_WORDS
 * uint32 each, column k at [k * count, (k + 1) * count); the H_* constants name the columns.
 */
export type OnNativeBatch = (arena: Buffer, headers: Uint32Array) => void;
/** Called once when the capture ends by itself (interface gone or down, poll error); never after close(). */
export type OnNativeEnd = (reason: string, code: NativeErrorCode) => void;

export interface NativePcapHandle {
  /** Throws an Error with `code` (see NativeErrorCode); message is libpcap's. */
  open(ifname: string, options: NativeOpenOptions): NativeOpenResult;
  setFilter(expression: string): void;
  start(onBatch: OnNativeBatch, onEnd: OnNativeEnd): void;
  /** Stop reading: the kernel buffer then fills, and what overflows is counted as droppedByKernel. */
  pause(): void;
  resume(): void;
  /** Live counters; after the end, the counters read just before libpcap closed; null if never opened. */
  stats(): NativeStats | null;
  /** Idempotent; safe while batches are in flight and from inside onBatch. */
  close(): void;
  readonly datalink: number;
}

export interface NativeDevice {
  name: string;
  description?: string;
  up: boolean;
  running: boolean;
  loopback: boolean;
}

export interface NativeBinding {
  PcapHandle: new () => NativePcapHandle;
  listDevices(): NativeDevice[];
  libVersion(): string;
}

export const HEADER_WORDS = 5;
export const H_OFFSET = 0;
export const H_CAPLEN = 1;
export const H_ORIGLEN = 2;
export const H_TS_SEC = 3;
export const H_TS_NSEC = 4;

const ADDON_PATH = new URL('../../native/build/Release/bridgescope_pcap.node', import.meta.url);

let loaded: NativeBinding | undefined;

/** Loads the addon once; throws AddonMissingError naming the Debian packages and the rebuild command. */
export function loadNative(): NativeBinding {
  if (loaded) return loaded;
  try {
    loaded = createRequire(import.meta.url)(ADDON_PATH.pathname) as NativeBinding;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const detail =
      code === 'MODULE_NOT_FOUND' ? 'native/build/Release/bridgescope_pcap.node was not built' : firstLine(err);
    throw new AddonMissingError('native', detail, { cause: err });
  }
  return loaded;
}

function firstLine(err: unknown): string {
  return String(err instanceof Error ? err.message : err).split('\n')[0];
}
