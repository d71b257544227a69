import type { FrameAnnotation, FrameRole, Transaction } from './findings.js';

/** Role codes stored per slot, in this order. */
const ROLES: FrameRole[] = ['request', 'reply', 'repeat', 'error'];

/**
 * Which transaction the last `capacity` frames belong to, for a UI that shows a frame's RTT or
 * jumps to its reply. Slot = frame number mod capacity; a slot answers only for the frame number
 * it holds, so older frames simply stop being annotated. Fixed memory, nothing allocated per frame.
 */
export class FrameAnnotations {
  private readonly frameNos: Float64Array;
  private readonly txs: (Transaction | undefined)[];
  private readonly roles: Uint8Array;

  constructor(readonly capacity: number) {
    this.frameNos = new Float64Array(capacity).fill(-1);
    this.txs = new Array<Transaction | undefined>(capacity).fill(undefined);
    this.roles = new Uint8Array(capacity);
  }

  set(frameNo: number, tx: Transaction, role: FrameRole): void {
    if (this.capacity === 0) return;
    const slot = frameNo % this.capacity;
    this.frameNos[slot] = frameNo;
    this.txs[slot] = tx;
    this.roles[slot] = role === 'request' ? 0 : role === 'reply' ? 1 : role === 'repeat' ? 2 : 3;
  }

  get(frameNo: number): FrameAnnotation | undefined {
    if (this.capacity === 0) return undefined;
    const slot = frameNo % this.capacity;
    const tx = this.txs[slot];
    if (this.frameNos[slot] !== frameNo || !tx) return undefined;
    return { transaction: tx, role: ROLES[this.roles[slot]] };
  }
}
