import type { FrameRole } from './findings.js';

/** Role codes stored per row; FRAME_ROLES[code] is the public name. */
export const ROLE_REQUEST = 0;
export const ROLE_REPLY = 1;
export const ROLE_REPEAT = 2;
export const ROLE_ERROR = 3;
const FRAME_ROLES: readonly FrameRole[] = ['request', 'reply', 'repeat', 'error'];

/**
 * Which transaction the last `capacity` frames belong to, for a UI that shows a frame's RTT or
 * jumps to its reply. Row = frame number mod capacity; a row answers only for the frame number
 * it holds, so older frames simply stop being annotated. A row holds the transaction's id and the
 * frame's role as one number (id * 4 + role), never an object: fixed memory, two writes and
 * nothing allocated per frame. The stores keep every transaction these rows can name (see
 * TransactionStore).
 */
export class FrameAnnotations {
  private readonly frameNos: Float64Array;
  private readonly refs: Float64Array;

  constructor(readonly capacity: number) {
    this.frameNos = new Float64Array(capacity).fill(-1);
    this.refs = new Float64Array(capacity);
  }

  set(frameNo: number, txId: number, role: number): void {
    if (this.capacity === 0) return;
    const row = frameNo % this.capacity;
    this.frameNos[row] = frameNo;
    this.refs[row] = txId * 4 + role;
  }

  /** Transaction id frame `frameNo` belongs to, or -1 when it is not (or no longer) annotated. */
  txId(frameNo: number): number {
    if (this.capacity === 0) return -1;
    const row = frameNo % this.capacity;
    return this.frameNos[row] === frameNo ? Math.floor(this.refs[row] / 4) : -1;
  }

  /** Role code (ROLE_*) of frame `frameNo` (call after txId found it). */
  roleCode(frameNo: number): number {
    return this.refs[frameNo % this.capacity] % 4;
  }

  /** Role of frame `frameNo` in its transaction (call after txId found it). */
  role(frameNo: number): FrameRole {
    return FRAME_ROLES[this.refs[frameNo % this.capacity] % 4];
  }
}
