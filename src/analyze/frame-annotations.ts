import type { FrameRole } from './findings.js';

/** Role codes stored per row; FRAME_ROLES[code] is the public name. */
export const ROLE_REQUEST = 0;
export const ROLE_REPLY = 1;
export const ROLE_REPEAT = 2;
export const ROLE_ERROR = 3;
export const FRAME_ROLES: readonly FrameRole[] = ['request', 'reply', 'repeat', 'error'];

/**
 * Which transaction the last `capacity` frames belong to, for a UI that shows a frame's RTT or
 * jumps to its reply. Row = frame number mod capacity; a row answers only for the frame number
 * it holds, so older frames simply stop being annotated. A row names the transaction by its
 * store (kind code), request counter and id, never by an object: fixed memory, nothing allocated
 * per frame. The stores keep every slot these rows can name (see TransactionStore).
 */
export class FrameAnnotations {
  private readonly frameNos: Float64Array;
  private readonly kinds: Uint8Array;
  private readonly roles: Uint8Array;
  private readonly seqs: Float64Array;
  private readonly ids: Float64Array;

  constructor(readonly capacity: number) {
    this.frameNos = new Float64Array(capacity).fill(-1);
    this.kinds = new Uint8Array(capacity);
    this.roles = new Uint8Array(capacity);
    this.seqs = new Float64Array(capacity);
    this.ids = new Float64Array(capacity);
  }

  set(frameNo: number, kind: number, seq: number, id: number, role: number): void {
    if (this.capacity === 0) return;
    const row = frameNo % this.capacity;
    this.frameNos[row] = frameNo;
    this.kinds[row] = kind;
    this.roles[row] = role;
    this.seqs[row] = seq;
    this.ids[row] = id;
  }

  /** Row holding `frameNo`, or -1; read it with kindAt/roleAt/seqAt/idAt. */
  row(frameNo: number): number {
    if (this.capacity === 0) return -1;
    const row = frameNo % this.capacity;
    return this.frameNos[row] === frameNo ? row : -1;
  }

  kindAt(row: number): number {
    return this.kinds[row];
  }

  roleAt(row: number): FrameRole {
    return FRAME_ROLES[this.roles[row]];
  }

  seqAt(row: number): number {
    return this.seqs[row];
  }

  idAt(row: number): number {
    return this.ids[row];
  }
}
