/**
 * Open-addressing (linear probing) table from a 32-bit frame hash to a position in the merger's
 * pending frames. Entries are never deleted one by one: the merger resets the table when it drops
 * emitted frames and inserts the few still pending again. A reset bumps a generation number
 * instead of clearing the arrays, so it costs nothing per slot. With no deletions, the entries of
 * one hash are met in insertion order along the probe, oldest first.
 */
export class CopyTable {
  private keys = new Uint32Array(0);
  private values = new Int32Array(0);
  private gens = new Uint32Array(0);
  private gen = 1;
  private mask = -1;

  /** Empties the table and makes room for `entries` inserts at under half load. */
  reset(entries: number): void {
    if (entries * 2 > this.keys.length) {
      let size = 1024;
      while (size < entries * 2) size *= 2;
      this.keys = new Uint32Array(size);
      this.values = new Int32Array(size);
      this.gens = new Uint32Array(size);
      this.mask = size - 1;
      this.gen = 1;
      return;
    }
    if (++this.gen === 0xffffffff) {
      this.gens.fill(0);
      this.gen = 1;
    }
  }

  insert(hash: number, value: number): void {
    let s = hash & this.mask;
    while (this.gens[s] === this.gen) s = (s + 1) & this.mask;
    this.keys[s] = hash;
    this.values[s] = value;
    this.gens[s] = this.gen;
  }

  /** The next slot after `after` (-1: from the start) holding `hash`, or -1 when there is none. */
  find(hash: number, after: number): number {
    let s = after < 0 ? hash & this.mask : (after + 1) & this.mask;
    while (this.gens[s] === this.gen) {
      if (this.keys[s] === hash) return s;
      s = (s + 1) & this.mask;
    }
    return -1;
  }

  value(slot: number): number {
    return this.values[slot];
  }
}
