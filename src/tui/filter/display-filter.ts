import type { Resolver } from '../../model/endpoint.js';
import { ipv4ToNumber, ipv6ToBytes, macToNumber } from '../../annotate/address.js';
import { destinationEndpoint, sourceEndpoint } from '../../annotate/frame-names.js';
import { Icmp6Type, type DecodedFrame } from '../../decode/index.js';
import { BridgescopeError } from '../../errors.js';
import { endpointMatches } from '../../model/identity.js';

/**
 * The display filter typed after `/`: terms joined by `and`, `or`, `not` and parentheses
 * (`not` binds tightest, then `and`, then `or`). A term is a protocol (arp, icmp, ipv4, ipv6,
 * icmp6, ndp, mld, vlan, udp, tcp, broadcast), a MAC, an IPv4 or IPv6 address (an ND target counts), or otherwise a container in any name form
 * model/identity.ts accepts (name, id prefix, a sidecar's name, compose service, alias, label),
 * matched against the frame's source and destination endpoints (and an ARP request's target).
 *
 * A compiled filter reads only the decoded frame and the resolver: no allocation per frame.
 */
export type FramePredicate = (f: DecodedFrame, r: Resolver, tsSec: number) => boolean;

export class FilterSyntaxError extends BridgescopeError {
  constructor(readonly filter: string, detail: string) {
    super('BS_FILTER_SYNTAX', `display filter "${filter}": ${detail}`);
  }
}

const PROTOCOLS: Record<string, FramePredicate> = {
  arp: (f) => f.arp !== null,
  icmp: (f) => f.icmp !== null,
  ipv4: (f) => f.ipv4 !== null,
  ip: (f) => f.ipv4 !== null,
  ipv6: (f) => f.ipv6 !== null,
  icmp6: (f) => f.icmp6 !== null,
  icmpv6: (f) => f.icmp6 !== null,
  ndp: (f) => f.icmp6 !== null && f.icmp6.isNeighborDiscovery,
  mld: (f) => f.icmp6 !== null && f.icmp6.isMld,
  vlan: (f) => f.vlan.count > 0,
  udp: (f) => f.protocol === 'UDP',
  tcp: (f) => f.protocol === 'TCP',
  broadcast: (f) => f.dstMacNum === 0xffffffffffff,
};

const MAC_RE = /^[0-9a-f]{1,2}([:-][0-9a-f]{1,2}){5}$/i;
const IPV4_RE = /^\d{1,3}(\.\d{1,3}){3}$/;

function term(word: string, filter: string): FramePredicate {
  const proto = PROTOCOLS[word.toLowerCase()];
  if (proto) return proto;
  if (MAC_RE.test(word)) {
    const mac = macToNumber(word);
    return (f) =>
      f.srcMacNum === mac || f.dstMacNum === mac ||
      (f.arp !== null && f.arp.isEthernetIpv4 && (f.arp.senderMacNum === mac || f.arp.targetMacNum === mac));
  }
  if (IPV4_RE.test(word)) {
    let ip: number;
    try {
      ip = ipv4ToNumber(word);
    } catch {
      throw new FilterSyntaxError(filter, `"${word}" is not an IPv4 address`);
    }
    return (f) =>
      (f.ipv4 !== null && (f.ipv4.srcNum === ip || f.ipv4.dstNum === ip)) ||
      (f.arp !== null && f.arp.isEthernetIpv4 && (f.arp.senderIpNum === ip || f.arp.targetIpNum === ip));
  }
  if (word.includes(':')) {
    let addr: Uint8Array;
    try {
      addr = ipv6ToBytes(word);
    } catch {
      throw new FilterSyntaxError(filter, `"${word}" is neither a MAC nor an IPv6 address`);
    }
    const at = (b: Uint8Array, o: number) => {
      for (let i = 0; i < 16; i++) if (b[o + i] !== addr[i]) return false;
      return true;
    };
    return (f) =>
      (f.ipv6 !== null && (at(f.bytes, f.ipv6.srcOffset) || at(f.bytes, f.ipv6.dstOffset))) ||
      (f.icmp6 !== null && f.icmp6.complete && (f.icmp6.type === Icmp6Type.NEIGHBOR_SOLICITATION || f.icmp6.type === Icmp6Type.NEIGHBOR_ADVERTISEMENT) && at(f.bytes, f.icmp6.targetOffset));
  }
  return (f, r, ts) => {
    const src = sourceEndpoint(f, r, ts);
    if (src && endpointMatches(src, word)) return true;
    const dst = destinationEndpoint(f, r, ts);
    if (dst && endpointMatches(dst, word)) return true;
    if (f.arp?.isEthernetIpv4) {
      const target = r.byIpv4(f.arp.targetIpNum, ts);
      if (target && endpointMatches(target, word)) return true;
    }
    return false;
  };
}

function tokenize(text: string): string[] {
  return text.replace(/[()]/g, ' $& ').split(/\s+/).filter((t) => t !== '');
}

/** Compiles filter text; an empty text is undefined (show everything). Throws FilterSyntaxError. */
export function compileFilter(text: string): FramePredicate | undefined {
  const tokens = tokenize(text);
  if (tokens.length === 0) return undefined;
  let i = 0;
  const peek = () => tokens[i]?.toLowerCase();
  const fail = (detail: string): never => {
    throw new FilterSyntaxError(text, detail);
  };

  const orExpr = (): FramePredicate => {
    let left = andExpr();
    while (peek() === 'or') {
      i++;
      const a = left;
      const b = andExpr();
      left = (f, r, t) => a(f, r, t) || b(f, r, t);
    }
    return left;
  };
  const andExpr = (): FramePredicate => {
    let left = unary();
    while (peek() === 'and') {
      i++;
      const a = left;
      const b = unary();
      left = (f, r, t) => a(f, r, t) && b(f, r, t);
    }
    return left;
  };
  const unary = (): FramePredicate => {
    const tok = tokens[i];
    if (tok === undefined) return fail('ends where a term was expected');
    const low = tok.toLowerCase();
    if (low === 'not') {
      i++;
      const a = unary();
      return (f, r, t) => !a(f, r, t);
    }
    if (tok === '(') {
      i++;
      const inner = orExpr();
      if (tokens[i] !== ')') fail('missing ")"');
      i++;
      return inner;
    }
    if (tok === ')' || low === 'and' || low === 'or') return fail(`unexpected "${tok}"`);
    i++;
    return term(tok, text);
  };

  const pred = orExpr();
  if (i < tokens.length) fail(`unexpected "${tokens[i]}" (join terms with and, or, not)`);
  return pred;
}
