import { ipv6ToBytes } from './address.js';

/**
 * IPv6 addresses as small integer keys, so the resolver's number-keyed timelines serve IPv6 too.
 * An address is interned once when a topology loads; a lookup from a frame hashes its 16 bytes in
 * place and compares them with the bucket's addresses: exact, O(1), and no allocation.
 */
export class Ipv6Keys {
  private readonly buckets = new Map<number, number[]>();
  private readonly addrs: Uint8Array[] = [];

  /** The key of an address in text form, assigning one the first time. */
  intern(text: string): number {
    return this.internAt(ipv6ToBytes(text), 0);
  }

  /** The key of the address at `b[o, o + 16)`, assigning one (and copying the bytes) the first time. */
  internAt(b: Uint8Array, o: number): number {
    const known = this.find(b, o);
    if (known >= 0) return known;
    const key = this.addrs.length;
    this.addrs.push(b.slice(o, o + 16));
    const h = hash(b, o);
    const bucket = this.buckets.get(h);
    if (bucket) bucket.push(key);
    else this.buckets.set(h, [key]);
    return key;
  }

  /** The 16 bytes of an interned address (owned by this table: do not change them). */
  bytesOf(key: number): Uint8Array {
    return this.addrs[key];
  }

  /** The key of the address at `b[o, o + 16)`, or -1 when no topology ever named it. */
  find(b: Uint8Array, o: number): number {
    const bucket = this.buckets.get(hash(b, o));
    if (!bucket) return -1;
    for (const key of bucket) if (same(this.addrs[key], b, o)) return key;
    return -1;
  }
}

/** FNV-1a over the 16 bytes. */
function hash(b: Uint8Array, o: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < 16; i++) h = Math.imul(h ^ b[o + i], 0x01000193);
  return h >>> 0;
}

function same(a: Uint8Array, b: Uint8Array, o: number): boolean {
  for (let i = 0; i < 16; i++) if (a[i] !== b[o + i]) return false;
  return true;
}
