import { type CapCaptureSource, openCapCapture } from './cap-source.js';
import { type LiveCaptureOptions, type LiveCaptureSource, openLiveCapture } from './live-source.js';

export type CaptureEngine = 'native' | 'cap';

export interface OpenCaptureOptions extends LiveCaptureOptions {
  /** native (default): our libpcap addon. cap: the cap package, see cap-source.ts for its limits. */
  engine?: CaptureEngine;
}

/**
 * Opens a live capture on interfaces with the chosen engine. Options cap cannot honour
 * (snaplen, immediate, promisc off, direction) are ignored by it.
 */
export function openCapture(
  targets: readonly string[],
  options: OpenCaptureOptions = {},
): LiveCaptureSource | CapCaptureSource {
  const { engine = 'native', ...rest } = options;
  return engine === 'cap' ? openCapCapture(targets, rest) : openLiveCapture(targets, rest);
}

export { CapCaptureSource, openCapCapture } from './cap-source.js';
export * from './errors.js';
export { hostIfIndex, interfaceNames, listCaptureInterfaces, requireInterface } from './interfaces.js';
export type { CaptureCandidate } from './interfaces.js';
export { captureOpenError, LiveCaptureSource, openLiveCapture } from './live-source.js';
export type { LiveCaptureOptions } from './live-source.js';
export type { InterfaceEnd } from './merged-source.js';
export { loadNative } from './native.js';
export type { Direction, NativeBinding, NativePcapHandle } from './native.js';
