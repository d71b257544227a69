/**
 * What every layer view is: a position in someone else's bytes. The decoder re-points one view per
 * layer for every frame (`at`), so reading a field never copies and decoding never allocates.
 */
export class ByteView {
  bytes: Uint8Array = new Uint8Array(0);
  /** Where the layer starts in `bytes` (an arena offset, not necessarily 0). */
  offset = 0;

  at(bytes: Uint8Array, offset: number): this {
    // Stored only when it changes (once a batch, not once a frame): a live batch's arena is a new
    // object each time, and V8 takes its write barrier's slow path for every store of a young
    // object into a long-lived one; once per frame and per layer, that was a fifth of a live decode.
    if (this.bytes !== bytes) this.bytes = bytes;
    this.offset = offset;
    return this;
  }
}
