import { CaptureFileError, type ErrorCode } from '../errors.js';
import type { BatchBuilder } from '../source/batch-builder.js';
import type { ChunkWindow } from './chunk-window.js';

/** Largest frame we accept: Wireshark's WTAP_MAX_PACKET_SIZE_STANDARD (256 KiB). */
export const MAX_FRAME_BYTES = 262_144;

/**
 * One capture format's record loop. `step` consumes one record (or pcapng block) at `w.start`,
 * pushing a frame into `out` if it is one, and returns 0; or it consumes nothing and returns how
 * many bytes it needs available from `w.start`. On damage it throws a CaptureFileError without
 * consuming, so every frame before the damage has been pushed.
 */
export interface RecordParser {
  step(w: ChunkWindow, out: BatchBuilder): number;
  /** The error for input that ended inside the record `step` asked more bytes for. */
  truncated(w: ChunkWindow): CaptureFileError;
}

export function fileError(code: ErrorCode, file: string, offset: number, detail: string): CaptureFileError {
  return new CaptureFileError(code, file, offset, detail);
}
