import { Icmp6Type, NdOpt, type DecodedFrame, type Icmp6View } from '../decode/index.js';
import type { Icmp6TypePattern } from './expectation.js';

/** One side of an IPv6 pattern: where its address is in the frame, and its MAC when known. */
export interface Side6 {
  at: number;
  mac: number | undefined;
  /** The address is `::` (a DAD probe's source): only the MAC can name it. */
  unspecified?: boolean;
}

/**
 * The two sides of an NS or NA, as ARP has them: a solicitation goes from its sender to the
 * target address; an advertisement from the target (the advertiser, with its link-layer option's
 * MAC) to the asker. Undefined for any other frame.
 */
export function ndpSides(f: DecodedFrame): [Side6, Side6] | undefined {
  const m = f.icmp6;
  const ip = f.ipv6;
  if (!m?.complete || !ip) return undefined;
  if (m.type === Icmp6Type.NEIGHBOR_SOLICITATION) {
    return [{ at: ip.srcOffset, mac: f.srcMacNum, unspecified: ip.srcUnspecified }, { at: m.targetOffset, mac: undefined }];
  }
  if (m.type === Icmp6Type.NEIGHBOR_ADVERTISEMENT) {
    const tll = f.ndOptions.linkAddrNum(NdOpt.TARGET_LL);
    return [{ at: m.targetOffset, mac: tll >= 0 ? tll : f.srcMacNum }, { at: ip.dstOffset, mac: f.dstMacNum }];
  }
  return undefined;
}

export function ndpOp(op: string, type: number): boolean {
  return op === 'any' || (op === 'solicit' && type === Icmp6Type.NEIGHBOR_SOLICITATION) || (op === 'advert' && type === Icmp6Type.NEIGHBOR_ADVERTISEMENT);
}

export function ndpWord(type: number): string {
  return type === Icmp6Type.NEIGHBOR_SOLICITATION ? 'solicit' : 'advert';
}

const ICMP6_OPS: Record<Exclude<Icmp6TypePattern, 'any'>, number> = {
  'echo-request': Icmp6Type.ECHO_REQUEST,
  'echo-reply': Icmp6Type.ECHO_REPLY,
  unreachable: Icmp6Type.DEST_UNREACHABLE,
  'too-big': Icmp6Type.PACKET_TOO_BIG,
  'time-exceeded': Icmp6Type.TIME_EXCEEDED,
};

export function icmp6Op(op: string, type: number): boolean {
  return op === 'any' || ICMP6_OPS[op as Exclude<Icmp6TypePattern, 'any'>] === type;
}

/** The pattern word for a type, else its name. */
export function icmp6Word(type: number): string {
  for (const [word, t] of Object.entries(ICMP6_OPS)) if (t === type) return word;
  return `type ${type}`;
}

/** Where id and seq are: in the echo an error quotes, else in the frame's own echo header. */
export function icmp6IdSeq(f: DecodedFrame, op: Icmp6TypePattern): Icmp6View | undefined {
  const own = f.icmp6!;
  if (op === 'unreachable' || op === 'too-big' || op === 'time-exceeded' || own.isError) {
    const q = own.isError ? f.quotedIcmp6 : null;
    return q?.complete && q.isEcho ? q : undefined;
  }
  return own.isEcho ? own : undefined;
}
