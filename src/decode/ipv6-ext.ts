import { u16, u32 } from './bytes.js';
import type { ProblemCode } from './problem.js';

/**
 * IPv6 extension headers (RFC 8200 §4): each starts next(0) len(1). Hop-by-hop (0), routing (43)
 * and destination options (60) are (len + 1) * 8 bytes; the fragment header (44) is always 8;
 * AH (51) is (len + 2) * 4. A host sends few of them: the walk stops after MAX_IPV6_EXT.
 */
export const enum Ipv6Ext { HOP_BY_HOP = 0, ROUTING = 43, FRAGMENT = 44, AH = 51, NO_NEXT = 59, DEST_OPTIONS = 60 }
export const MAX_IPV6_EXT = 8;
/** Every extension header starts with these; the fragment header's fields follow. */
export const enum IPV6_EXT { nextHeader = 0, length = 1, }
const enum FRAGMENT { offsetFlags = 2, identification = 4, }
const FRAGMENT_HEADER_LEN = 8;
const FRAGMENT_OFFSET_MASK = 0xfff8;
const MORE_FRAGMENTS = 1;

const EXT_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'hop-by-hop'],
  [43, 'routing'],
  [44, 'fragment'],
  [51, 'AH'],
  [60, 'destination options'],
]);

export function isIpv6Extension(next: number): boolean {
  return EXT_NAMES.has(next);
}

export function ipv6ExtName(type: number): string {
  return EXT_NAMES.get(type) ?? `header ${type}`;
}

/** Length in bytes of the extension header of `type` at `o` (its first 2 bytes are present). */
export function ipv6ExtLength(type: number, b: Uint8Array, o: number): number {
  if (type === Ipv6Ext.FRAGMENT) return FRAGMENT_HEADER_LEN;
  if (type === Ipv6Ext.AH) return (b[o + IPV6_EXT.length] + 2) * 4;
  return (b[o + IPV6_EXT.length] + 1) * 8;
}

/** Hop-by-hop / destination options (RFC 8200 §4.2): Pad1 is one byte; every other is type(0) len(1) data. */
export const enum Ipv6Opt { PAD1 = 0, PADN = 1, ROUTER_ALERT = 5, JUMBO = 0xc2 }

/** The extension headers of one datagram, in wire order. Offsets are positions in `bytes`. */
export class Ipv6ExtChain {
  bytes: Uint8Array = new Uint8Array(0);
  count = 0;
  readonly type = new Uint8Array(MAX_IPV6_EXT);
  readonly offset = new Int32Array(MAX_IPV6_EXT);
  readonly length = new Int32Array(MAX_IPV6_EXT);
  /** Index of the fragment header, -1 when the datagram is not a fragment. */
  fragmentIndex = -1;
  /** A hop-by-hop Router Alert option was seen (MLD messages carry one, RFC 2711). */
  routerAlert = false;

  reset(bytes: Uint8Array): void {
    if (this.bytes !== bytes) this.bytes = bytes; // see ByteView.at
    this.count = 0;
    this.fragmentIndex = -1;
    this.routerAlert = false;
  }
  name(i: number): string {
    return ipv6ExtName(this.type[i]);
  }
  /** The next header field of header `i`: the type of the header (or upper layer) after it. */
  nextHeader(i: number): number {
    return this.bytes[this.offset[i] + IPV6_EXT.nextHeader];
  }
  names(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.name(i));
    return out;
  }
  get isFragment(): boolean {
    return this.fragmentIndex >= 0;
  }
  /** The fragment header's offset, in bytes (its 13 bits count 8-byte units, left of 3 flag bits). */
  get fragmentOffset(): number {
    return this.fragmentIndex < 0 ? 0 : u16(this.bytes, this.offset[this.fragmentIndex] + FRAGMENT.offsetFlags) & FRAGMENT_OFFSET_MASK;
  }
  get moreFragments(): boolean {
    return this.fragmentIndex >= 0 && (this.bytes[this.offset[this.fragmentIndex] + FRAGMENT.offsetFlags + 1] & MORE_FRAGMENTS) === MORE_FRAGMENTS;
  }
  get fragmentId(): number {
    return this.fragmentIndex < 0 ? 0 : u32(this.bytes, this.offset[this.fragmentIndex] + FRAGMENT.identification);
  }
}

/** Where a chain walk ended: the upper layer, or what stopped it (reused by its owner: no allocation per walk). */
export class Ipv6ChainWalk {
  upperProtocol = -1;
  upperOffset = -1;
  /** null when the walk reached the upper layer. */
  code: ProblemCode | null = null;
  at = 0;
  need = 0;
  text = '';
}

/**
 * Walks the extension headers from `at` (RFC 8200 §4.1: hop-by-hop first only, no header but
 * destination options repeated, at most MAX_IPV6_EXT), recording them in `chain` (the frame's, or
 * an error's quoted datagram's). True when the upper layer was reached
 * (`w.upperProtocol`, `w.upperOffset`); false with `w.code`, `w.at`, `w.need`, `w.text` saying why.
 */
export function walkIpv6Chain(w: Ipv6ChainWalk, b: Uint8Array, at: number, end: number, next: number, chain: Ipv6ExtChain): boolean {
  let seen = 0;
  let count = 0;
  let last = -1;
  const stop = (code: ProblemCode, where: number, need: number, text: string): false => {
    w.code = code;
    w.at = where;
    w.need = need;
    w.text = text;
    return false;
  };
  w.code = null;
  while (isIpv6Extension(next)) {
    const name = ipv6ExtName(next);
    if (count === MAX_IPV6_EXT) return stop('unsupported', at, 0, `more than ${MAX_IPV6_EXT} extension headers`);
    if (next === Ipv6Ext.HOP_BY_HOP && count > 0) return stop('malformed', at, 0, `hop-by-hop header after the ${ipv6ExtName(last)} header`);
    const bit = next === Ipv6Ext.DEST_OPTIONS ? 0 : 1 << (next & 31);
    if (bit !== 0 && (seen & bit) !== 0) return stop('malformed', at, 0, `${name} header repeated`);
    seen |= bit;
    if (end - at < IPV6_EXT.length + 1) return stop('truncated', at, IPV6_EXT.length + 1, `${name} header incomplete`);
    const len = ipv6ExtLength(next, b, at);
    if (end - at < len) return stop('truncated', at, len, `${name} header runs past the datagram`);
    const i = chain.count++;
    chain.type[i] = next;
    chain.offset[i] = at;
    chain.length[i] = len;
    if (next === Ipv6Ext.FRAGMENT) chain.fragmentIndex = i;
    if (next === Ipv6Ext.HOP_BY_HOP || next === Ipv6Ext.DEST_OPTIONS) {
      const bad = walkIpv6Options(chain, b, at, len);
      if (bad !== null) return stop('malformed', at, 0, `${name}: ${bad}`);
    }
    count++;
    last = next;
    next = b[at + IPV6_EXT.nextHeader];
    at += len;
  }
  w.upperProtocol = next;
  w.upperOffset = at;
  return true;
}

/**
 * Walks the options of a hop-by-hop or destination options header at `[o + 2, o + len)`.
 * Returns an error text when an option runs past the header, else null; sets `routerAlert` on `chain`.
 */
export function walkIpv6Options(chain: Ipv6ExtChain, b: Uint8Array, o: number, len: number): string | null {
  const end = o + len;
  let at = o + IPV6_EXT.length + 1;
  while (at < end) {
    const t = b[at];
    if (t === Ipv6Opt.PAD1) {
      at++;
      continue;
    }
    if (at + 2 > end) return `option ${t} at +${at - o} has no length byte`;
    const optLen = b[at + 1];
    if (at + 2 + optLen > end) return `option ${t} at +${at - o} of length ${optLen} runs past the ${len}-byte header`;
    if (t === Ipv6Opt.ROUTER_ALERT) chain.routerAlert = true;
    at += 2 + optLen;
  }
  return null;
}
