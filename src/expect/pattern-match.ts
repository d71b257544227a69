import type { Resolver } from '../model/endpoint.js';
import { endpointMatches } from '../model/identity.js';
import { ArpOp, IcmpType, formatIpv4Number, formatIpv6, type DecodedFrame, type IcmpView } from '../decode/index.js';
import { endpointRefText, type EndpointRef, type FramePattern, type IcmpTypePattern } from './expectation.js';
import { icmp6IdSeq, icmp6Op, icmp6Word, ndpOp, ndpSides, ndpWord, type Side6 } from './pattern-match6.js';

/**
 * Tests a decoded frame against a pattern. `miss` collects why a frame of the right protocol did
 * not match (for near-miss reports) and returns how many criteria held; it allocates, so the
 * matcher calls it only for frames that might become near misses.
 */
export class PatternMatcher {
  /** Names seen on any frame, so a report can say a name never appeared (a typo, a stopped container). */
  readonly namesSeen = new Set<string>();

  constructor(private readonly resolver: Resolver) {}

  matches(p: FramePattern, f: DecodedFrame, tsSec: number): boolean {
    if (p.proto === 'arp') {
      const arp = f.arp;
      if (!arp || !arp.hasIpv4 || !arpOp(p.op, arp.operation, arp.isGratuitous, arp.isProbe)) return false;
      return this.arpSide(p.from, f, tsSec, 'from') && this.arpSide(p.to, f, tsSec, 'to');
    }
    if (p.proto === 'ndp') {
      const sides = ndpSides(f);
      if (!sides || !ndpOp(p.op, f.icmp6!.type)) return false;
      return this.side6(p.from, f, sides[0], tsSec) && this.side6(p.to, f, sides[1], tsSec);
    }
    if (p.proto === 'icmp6') {
      const m = f.icmp6;
      if (!m?.complete || m.isNeighborDiscovery || !icmp6Op(p.op, m.type)) return false;
      if (p.id !== undefined || p.seq !== undefined) {
        const ids = icmp6IdSeq(f, p.op);
        if (p.id !== undefined && (!ids || ids.identifier !== p.id)) return false;
        if (p.seq !== undefined && (!ids || ids.sequence !== p.seq)) return false;
      }
      const ip = f.ipv6!;
      return this.side6(p.from, f, { at: ip.srcOffset, mac: f.srcMacNum }, tsSec) && this.side6(p.to, f, { at: ip.dstOffset, mac: f.dstMacNum }, tsSec);
    }
    const icmp = f.icmp;
    const ip = f.ipv4;
    if (!icmp || !ip || !icmpOp(p.op, icmp.type)) return false;
    if (p.id !== undefined || p.seq !== undefined) {
      const ids = idSeqOf(f, p.op);
      if (p.id !== undefined && (!ids || ids.identifier !== p.id)) return false;
      if (p.seq !== undefined && (!ids || ids.sequence !== p.seq)) return false;
    }
    return this.ipSide(p.from, ip.srcNum, f.srcMacNum, tsSec) && this.ipSide(p.to, ip.dstNum, f.dstMacNum, tsSec);
  }

  /**
   * For a frame of the pattern's protocol: how many of the criteria the pattern sets (an `any`
   * sets none) the frame meets (-1 for another protocol), and why not into `why`.
   */
  miss(p: FramePattern, f: DecodedFrame, tsSec: number, why?: string[]): number {
    let score = 0;
    const check = (ok: boolean, reason: () => string) => (ok ? score++ : why?.push(reason()));
    if (p.proto === 'arp') {
      const arp = f.arp;
      if (!arp || !arp.hasIpv4) return -1;
      const op = arp.isProbe ? 'probe' : arp.isGratuitous ? 'gratuitous' : arp.operation === ArpOp.REQUEST ? 'request' : arp.operation === ArpOp.REPLY ? 'reply' : `op ${arp.operation}`;
      if (p.op !== 'any') check(arpOp(p.op, arp.operation, arp.isGratuitous, arp.isProbe), () => `is an ARP ${op}, expected ${p.op}`);
      if (p.from.kind !== 'any') check(this.arpSide(p.from, f, tsSec, 'from'), () => `sender is ${this.ipName(arp.senderIpNum, tsSec)}, expected ${endpointRefText(p.from)}`);
      if (p.to.kind !== 'any') check(this.arpSide(p.to, f, tsSec, 'to'), () => `target is ${this.ipName(arp.targetIpNum, tsSec)}, expected ${endpointRefText(p.to)}`);
      return score;
    }
    if (p.proto === 'ndp' || p.proto === 'icmp6') {
      const m = f.icmp6;
      if (!m?.complete) return -1;
      let sides: [Side6, Side6] | undefined;
      if (p.proto === 'ndp') {
        sides = ndpSides(f);
        if (!sides) return -1;
        if (p.op !== 'any') check(ndpOp(p.op, m.type), () => `is an NDP ${ndpWord(m.type)}, expected ${p.op}`);
      } else {
        if (m.isNeighborDiscovery) return -1;
        const ip = f.ipv6!;
        sides = [{ at: ip.srcOffset, mac: f.srcMacNum }, { at: ip.dstOffset, mac: f.dstMacNum }];
        if (p.op !== 'any') check(icmp6Op(p.op, m.type), () => `is ICMPv6 ${icmp6Word(m.type)}, expected ${p.op}`);
        const ids = icmp6IdSeq(f, p.op);
        if (p.id !== undefined) check(ids?.identifier === p.id, () => `id ${ids ? ids.identifier : 'none'}, expected ${p.id}`);
        if (p.seq !== undefined) check(ids?.sequence === p.seq, () => `seq ${ids ? ids.sequence : 'none'}, expected ${p.seq}`);
      }
      const [from, to] = sides;
      if (p.from.kind !== 'any') check(this.side6(p.from, f, from, tsSec), () => `source is ${this.ip6Name(f, from.at, tsSec)}, expected ${endpointRefText(p.from)}`);
      if (p.to.kind !== 'any') check(this.side6(p.to, f, to, tsSec), () => `${p.proto === 'ndp' ? 'target' : 'destination'} is ${this.ip6Name(f, to.at, tsSec)}, expected ${endpointRefText(p.to)}`);
      return score;
    }
    const icmp = f.icmp;
    const ip = f.ipv4;
    if (!icmp || !ip) return -1;
    if (p.op !== 'any') check(icmpOp(p.op, icmp.type), () => `is ICMP type ${icmp.type} (${TYPE_NAMES[icmp.type] ?? 'other'}), expected ${p.op}`);
    if (p.from.kind !== 'any') check(this.ipSide(p.from, ip.srcNum, f.srcMacNum, tsSec), () => `source is ${this.ipName(ip.srcNum, tsSec)}, expected ${endpointRefText(p.from)}`);
    if (p.to.kind !== 'any') check(this.ipSide(p.to, ip.dstNum, f.dstMacNum, tsSec), () => `destination is ${this.ipName(ip.dstNum, tsSec)}, expected ${endpointRefText(p.to)}`);
    const ids = idSeqOf(f, p.op);
    const whose = ids && ids !== icmp ? 'quoted ' : '';
    if (p.id !== undefined) check(ids?.identifier === p.id, () => `${whose}id ${ids ? ids.identifier : 'none'}, expected ${p.id}`);
    if (p.seq !== undefined) check(ids?.sequence === p.seq, () => `${whose}seq ${ids ? ids.sequence : 'none'}, expected ${p.seq}`);
    return score;
  }

  private ipName(ip: number, tsSec: number): string {
    const label = this.resolver.byIpv4(ip, tsSec)?.label;
    return label ? `${label} (${formatIpv4Number(ip)})` : formatIpv4Number(ip);
  }

  private ip6Name(f: DecodedFrame, at: number, tsSec: number): string {
    const text = formatIpv6(f.bytes, at);
    const label = this.resolver.byIpv6?.(f.bytes, at, tsSec)?.label;
    return label ? `${label} (${text})` : text;
  }

  /** One side of an IPv6 frame: its address at `s.at` (skipped when unspecified) and MAC. */
  private side6(e: EndpointRef, f: DecodedFrame, s: Side6, tsSec: number): boolean {
    if (e.kind === 'any') return true;
    const b = f.bytes;
    if (e.kind === 'ip6') {
      for (let i = 0; i < 16; i++) if (b[s.at + i] !== e.bytes[i]) return false;
      return true;
    }
    if (e.kind === 'ip') return false;
    if (e.kind === 'mac') return s.mac === e.mac;
    const r = this.resolver;
    const ep = (s.unspecified ? undefined : r.byIpv6?.(b, s.at, tsSec)) ?? (s.mac !== undefined ? r.byMac(s.mac, tsSec) : undefined);
    if (!ep || !endpointMatches(ep, e.name)) return false;
    this.namesSeen.add(e.name);
    return true;
  }

  private arpSide(e: EndpointRef, f: DecodedFrame, tsSec: number, side: 'from' | 'to'): boolean {
    if (e.kind === 'any') return true;
    const arp = f.arp!;
    const ip = side === 'from' ? arp.senderIpNum : arp.targetIpNum;
    if (e.kind === 'ip') return ip === e.ip;
    if (e.kind === 'ip6') return false;
    const macs = arp.hasMacs;
    if (e.kind === 'mac') {
      if (side === 'from') return (macs && arp.senderMacNum === e.mac) || f.srcMacNum === e.mac;
      return (macs && arp.targetMacNum === e.mac) || f.dstMacNum === e.mac;
    }
    return this.named(e.name, ip, side === 'from' ? (macs ? arp.senderMacNum : f.srcMacNum) : undefined, tsSec);
  }

  private ipSide(e: EndpointRef, ip: number, mac: number | undefined, tsSec: number): boolean {
    if (e.kind === 'any') return true;
    if (e.kind === 'ip') return ip === e.ip;
    if (e.kind === 'ip6') return false;
    if (e.kind === 'mac') return mac === e.mac;
    return this.named(e.name, ip, mac, tsSec);
  }

  /**
   * A name matches an endpoint in any form model/identity.ts accepts (name, id prefix, a sidecar's
   * name, compose service, alias, label); the IP decides, the MAC is the fallback.
   */
  private named(name: string, ip: number, mac: number | undefined, tsSec: number): boolean {
    const r = this.resolver;
    const e = (ip !== 0 ? r.byIpv4(ip, tsSec) : undefined) ?? (mac !== undefined ? r.byMac(mac, tsSec) : undefined);
    if (!e || !endpointMatches(e, name)) return false;
    this.namesSeen.add(name);
    return true;
  }
}

/**
 * Where a pattern's id and seq are looked for: on `unreachable` and `time-exceeded`, in the echo
 * the error quotes (its own header has none); on any other type, in the frame's own header.
 */
function idSeqOf(f: DecodedFrame, op: IcmpTypePattern): IcmpView | undefined {
  const own = f.icmp!;
  if (op !== 'unreachable' && op !== 'time-exceeded') return own.hasIdSeq ? own : undefined;
  const q = own.isError ? f.quotedIcmp : null;
  return q?.hasIdSeq ? q : undefined;
}

const TYPE_NAMES: Record<number, string> = { 0: 'echo-reply', 3: 'unreachable', 8: 'echo-request', 11: 'time-exceeded' };

function arpOp(op: string, operation: number, gratuitous: boolean, probe: boolean): boolean {
  switch (op) {
    case 'any': return true;
    case 'request': return operation === ArpOp.REQUEST;
    case 'reply': return operation === ArpOp.REPLY;
    case 'gratuitous': return gratuitous;
    case 'probe': return probe;
    default: return false;
  }
}

function icmpOp(op: string, type: number): boolean {
  switch (op) {
    case 'any': return true;
    case 'echo-request': return type === IcmpType.ECHO_REQUEST;
    case 'echo-reply': return type === IcmpType.ECHO_REPLY;
    case 'unreachable': return type === IcmpType.DEST_UNREACHABLE;
    case 'time-exceeded': return type === IcmpType.TIME_EXCEEDED;
    default: return false;
  }
}

