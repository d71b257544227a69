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
  /**
   * Without immediate mode: longest libpcap holds a partly filled kernel block, in ms (default 10).
   * Under a flood the addon rests up to 20 ms after a read of 32 KiB or more, less
   * when that would fill a quarter of `bufferSize` at the rate the frames came in.
   */
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

/** Error codes the addon sets on what it throws (`err.code`) and passes to onEnd (checked at load). */
export const NATIVE_ERROR_CODES = [
  'PCAP_PERM_DENIED', 'PCAP_NO_SUCH_DEVICE', 'PCAP_IFACE_NOT_UP', 'PCAP_BAD_FILTER', 'PCAP_POLL_ERROR',
  'PCAP_ERROR', 'PCAP_NOT_OPEN', 'PCAP_ALREADY_OPEN', 'PCAP_ALREADY_STARTED', 'ERR_INVALID_ARG',
] as const;
export type NativeErrorCode = (typeof NATIVE_ERROR_CODES)[number];

/**
 * One batch from one pcap_dispatch drain. `arena` and `headers` are views of one ArrayBuffer,
 * the slab (`headers.buffer`), owned by JS: the addon reuses it only once JS hands it back
 * with recycle(). headers is struct of arrays: HEADER_WORDS columns of count = headers.length /
 * HEADER_WORDS uint32 each, column k at [k * count, (k + 1) * count); the H_* constants name the
 * columns. The arena is the batch's pcapng EPBs back to back (NATIVE_EPB), frame i's bytes at offset[i].
 */
export type OnNativeBatch = (arena: Uint8Array, headers: Uint32Array) => void;
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
  /**
   * Hands a batch's slab back for the next batches to fill: only once nothing reads its arena or
   * headers any more. A slab never handed back is left to the GC.
   */
  recycle(slab: ArrayBufferLike): void;
  readonly datalink: number;
}

export interface NativeDevice {
  name: string;
  description?: string;
  up: boolean;
  running: boolean;
  loopback: boolean;
}

/** The header columns and block layout of a batch, as the addon exports them (native/src/layout.h). */
export interface NativeLayout {
  headerWords: number;
  offset: number;
  capLen: number;
  origLen: number;
  tsSec: number;
  tsNsec: number;
  epbType: number;
  epbHeaderBytes: number;
  epbTrailerBytes: number;
  epbInterfaceIdAt: number;
  /** A batch's headers and arena share one slab that JS hands back with recycle() (1). */
  slab: number;
}

export interface NativeBinding {
  PcapHandle: new () => NativePcapHandle;
  listDevices(): NativeDevice[];
  libVersion(): string;
  layout: NativeLayout;
  errorCodes: readonly string[];
}

export const HEADER_WORDS = 5;
export const H_OFFSET = 0;
export const H_CAPLEN = 1;
export const H_ORIGLEN = 2;
export const H_TS_SEC = 3;
export const H_TS_NSEC = 4;

/**
 * Each native frame sits inside a little-endian pcapng Enhanced Packet Block in its arena:
 * `headerBytes` before the frame (type, length, interface id 0 at `interfaceIdAt`, nanosecond
 * timestamp, lengths), zero padding to 4 bytes and a `trailerBytes` length after it.
 */
export const NATIVE_EPB = { type: 6, headerBytes: 28, trailerBytes: 4, interfaceIdAt: 8 } as const;

/** What this code reads batches with; the addon must say the same (checked once, at load). */
const EXPECTED_LAYOUT: NativeLayout = {
  headerWords: HEADER_WORDS,
  offset: H_OFFSET,
  capLen: H_CAPLEN,
  origLen: H_ORIGLEN,
  tsSec: H_TS_SEC,
  tsNsec: H_TS_NSEC,
  epbType: NATIVE_EPB.type,
  epbHeaderBytes: NATIVE_EPB.headerBytes,
  epbTrailerBytes: NATIVE_EPB.trailerBytes,
  epbInterfaceIdAt: NATIVE_EPB.interfaceIdAt,
  slab: 1,
};

const ADDON_PATH = new URL('../../native/build/Release/bridgescope_pcap.node', import.meta.url);

let loaded: NativeBinding | undefined;

/**
 * Loads the addon once and checks it agrees with this code on layout and error codes; throws
 * AddonMissingError naming the Debian packages and the rebuild command.
 */
export function loadNative(): NativeBinding {
  if (loaded) return loaded;
  let binding: NativeBinding;
  try {
    binding = createRequire(import.meta.url)(ADDON_PATH.pathname) as NativeBinding;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const detail =
      code === 'MODULE_NOT_FOUND' ? 'native/build/Release/bridgescope_pcap.node was not built' : firstLine(err);
    throw new AddonMissingError('native', detail, { cause: err });
  }
  const disagreement = checkBinding(binding);
  if (disagreement) throw new AddonMissingError('native', `native/build is from another version of native/ (${disagreement})`);
  return (loaded = binding);
}

/** What the addon's exported layout and codes say differently from this code, or undefined. */
export function checkBinding(binding: Pick<NativeBinding, 'layout' | 'errorCodes'>): string | undefined {
  const layout = binding.layout ?? {};
  for (const key of Object.keys(EXPECTED_LAYOUT) as (keyof NativeLayout)[]) {
    if (layout[key] !== EXPECTED_LAYOUT[key]) return `layout.${key} is ${String(layout[key])}, expected ${EXPECTED_LAYOUT[key]}`;
  }
  const codes = new Set(binding.errorCodes ?? []);
  const known = new Set<string>(NATIVE_ERROR_CODES);
  for (const c of codes) if (!known.has(c)) return `unknown error code ${c}`;
  for (const c of known) if (!codes.has(c)) return `error code ${c} missing`;
  return undefined;
}

function firstLine(err: unknown): string {
  return String(err instanceof Error ? err.message : err).split('\n')[0];
}
