/**
 * What every layer view is: a position in someone else's bytes. The decoder re-points one view per
 * layer for every frame (`at`), so reading a field never copies and decoding never allocates.
 */
export class ByteView {
  bytes: Uint8Array = new Uint8Array(0);
  /** Where the layer starts in `bytes` (an arena offset, not necessarily 0). */
  offset = 0;

  at(bytes: Uint8Array, offset: number): this {
    this.bytes = bytes;
    this.offset = offset;
    return this;
  }
}
