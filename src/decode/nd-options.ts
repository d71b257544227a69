import { formatMac, mac48, u32 } from './bytes.js';

/**
 * Neighbor Discovery options (RFC 4861 §4.6): type(0) length(1, in units of 8 bytes) data. A length
 * of 0 is invalid (a receiver must drop the message): the walk stops there, and so does it at an
 * option that runs past the message or after MAX_ND_OPTIONS.
 */
export const enum NdOpt { SOURCE_LL = 1, TARGET_LL = 2, PREFIX_INFO = 3, REDIRECTED_HEADER = 4, MTU = 5 }
export const MAX_ND_OPTIONS = 32;
/** Option fields: type(0) length(1), then per type the address or the MTU (after 2 reserved bytes). */
const enum OPT { type = 0, length = 1, linkAddress = 2, mtu = 4, }
/** Option lengths count 8-byte units; a link-layer or MTU option is one unit. */
const OPT_UNIT = 8;
const LL_ADDR = OPT.linkAddress;
const MTU_VALUE = OPT.mtu;

const OPT_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'source link-layer address'],
  [2, 'target link-layer address'],
  [3, 'prefix information'],
  [4, 'redirected header'],
  [5, 'MTU'],
  [14, 'nonce'],
  [24, 'route information'],
  [25, 'recursive DNS server'],
  [31, 'DNS search list'],
]);

export function ndOptionName(type: number): string {
  return OPT_NAMES.get(type) ?? `option ${type}`;
}

/** The options of one ND message, in wire order; offsets are positions in `bytes`, lengths in bytes. */
export class NdOptions {
  bytes: Uint8Array = new Uint8Array(0);
  count = 0;
  readonly type = new Uint8Array(MAX_ND_OPTIONS);
  readonly offset = new Int32Array(MAX_ND_OPTIONS);
  readonly length = new Int32Array(MAX_ND_OPTIONS);

  /** The last walk stopped at an option the message ends inside (rather than a bad length). */
  cutShort = false;

  reset(bytes: Uint8Array): void {
    if (this.bytes !== bytes) this.bytes = bytes; // see ByteView.at
    this.count = 0;
  }

  /**
   * Reads the options in `[at, end)`. Returns null when they all fit, else what was wrong with
   * the first one that did not (the ones before it stay readable).
   */
  walk(at: number, end: number): string | null {
    const b = this.bytes;
    this.cutShort = false;
    while (at < end) {
      if (this.count === MAX_ND_OPTIONS) return `more than ${MAX_ND_OPTIONS} options`;
      this.cutShort = true;
      if (end - at < OPT.length + 1) return `option ${b[at]} has no length byte`;
      const len = b[at + OPT.length] * OPT_UNIT;
      if (at + len > end && len !== 0) return `option ${b[at]} of ${len} bytes runs past the message`;
      this.cutShort = false;
      if (len === 0) return `option ${b[at]} has length 0`;
      this.type[this.count] = b[at + OPT.type];
      this.offset[this.count] = at;
      this.length[this.count++] = len;
      at += len;
    }
    return null;
  }

  /** Index of the first option of `type` that can hold what it says, or -1. */
  find(type: number, minLength: number): number {
    for (let i = 0; i < this.count; i++) if (this.type[i] === type && this.length[i] >= minLength) return i;
    return -1;
  }
  private linkAddr(type: number): number {
    return this.find(type, OPT_UNIT);
  }
  get hasSourceLinkAddr(): boolean {
    return this.linkAddr(NdOpt.SOURCE_LL) >= 0;
  }
  get hasTargetLinkAddr(): boolean {
    return this.linkAddr(NdOpt.TARGET_LL) >= 0;
  }
  /** Ethernet address in a source/target link-layer option; '' when absent. */
  linkAddrText(type: number): string {
    const i = this.linkAddr(type);
    return i < 0 ? '' : formatMac(this.bytes, this.offset[i] + LL_ADDR);
  }
  /** The same as a 48-bit number, -1 when absent. */
  linkAddrNum(type: number): number {
    const i = this.linkAddr(type);
    return i < 0 ? -1 : mac48(this.bytes, this.offset[i] + LL_ADDR);
  }
  /** Option `i`'s Ethernet address (for a link-layer option of 8 bytes). */
  linkAddrAt(i: number): string {
    return formatMac(this.bytes, this.offset[i] + LL_ADDR);
  }
  get sourceLinkAddr(): string {
    return this.linkAddrText(NdOpt.SOURCE_LL);
  }
  get targetLinkAddr(): string {
    return this.linkAddrText(NdOpt.TARGET_LL);
  }
  /** MTU option value, -1 when absent. */
  get mtu(): number {
    const i = this.find(NdOpt.MTU, OPT_UNIT);
    return i < 0 ? -1 : u32(this.bytes, this.offset[i] + MTU_VALUE);
  }
  name(i: number): string {
    return ndOptionName(this.type[i]);
  }
}
