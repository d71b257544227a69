import { endpointName, type Endpoint, type Resolver } from '../model/endpoint.js';
import { destinationEndpoint, sourceEndpoint } from '../annotate/frame-names.js';
import type { DecodedFrame } from '../decode/index.js';
import { ipv4Text, macText } from './address-text.js';
import type { FrameBatch } from '../source/frame-batch.js';
import { spanText } from '../duration.js';
import { TimestampText } from './clock.js';
import { sanitize } from './sanitize.js';
import { frameInfo } from './frame-info.js';

export interface TextOptions {
  resolver: Resolver;
  /** Nanosecond digits instead of microseconds. */
  nano?: boolean;
  /** Prefix the date, for captures spanning days. */
  date?: boolean;
  /** Print the capturing interface's name (useful when several are merged). */
  showInterface?: boolean;
}

const BROADCAST = 0xffffffffffff;

/**
 * One line per frame, tcpdump -e -nn in spirit, with names:
 * `12:00:01.000123  web-bridge-1 > web-bridge-2  ARP who-has 172.30.0.11 (web-bridge-2) tell ...`
 */
export class TextFormatter {
  private readonly clock: TimestampText;
  private readonly resolver: Resolver;
  private readonly showInterface: boolean;

  constructor(opts: TextOptions) {
    this.clock = new TimestampText(opts.nano ? 9 : 6, opts.date ?? false);
    this.resolver = opts.resolver;
    this.showInterface = opts.showInterface ?? false;
  }

  line(f: DecodedFrame, tsSec: number, tsNsec: number, ifName?: string): string {
    const r = this.resolver;
    const src = endpointText(sourceEndpoint(f, r, tsSec), f, 'src');
    const dst = endpointText(destinationEndpoint(f, r, tsSec), f, 'dst');
    const time = this.clock.format(tsSec, tsNsec);
    const where = this.showInterface && ifName ? ` ${sanitize(ifName)}` : '';
    return `${time}${where}  ${src} > ${dst}  ${frameInfo(f, r, tsSec)}`;
  }
}

/** Name when known ("alpha@dh1" when names come from several hosts); else the IP address for IP frames, else the MAC ("broadcast" for ff:..:ff). */
export function endpointText(e: Endpoint | undefined, f: DecodedFrame, side: 'src' | 'dst'): string {
  if (e) return nameText(e);
  if (f.ipv4) return ipv4Text(side === 'src' ? f.ipv4.srcNum : f.ipv4.dstNum);
  if (f.ipv6) return side === 'src' ? f.ipv6.src : f.ipv6.dst;
  const mac = side === 'src' ? f.srcMacNum : f.dstMacNum;
  if (mac === undefined) return '?';
  return mac === BROADCAST ? 'broadcast' : macText(mac);
}

/**
 * An endpoint's name as printed, made once per endpoint (a resolver hands out one Endpoint object
 * per name and a new one when the name changes): two per frame were a sanitize each.
 */
const nameTexts = new WeakMap<Endpoint, string>();

function nameText(e: Endpoint): string {
  let text = nameTexts.get(e);
  if (text === undefined) {
    text = sanitize(endpointName(e));
    nameTexts.set(e, text);
  }
  return text;
}

/**
 * Where frame i was seen, for a line of a source with several interfaces: ` [vethA → br-x → vethB,
 * +12 µs]` (its hops, from the first sighting to the last) when copies were merged, else the
 * interface of this copy (` [br-x]`); '' when the source has one interface.
 */
export function whereSeen(b: FrameBatch, i: number): string {
  if (b.interfaces.length < 2) return '';
  const h = b.hops;
  if (!h || h.count[i] < 2) return ` [${ifaceName(b, b.ifIndex[i])}]`;
  const first = h.start[i];
  const last = first + h.count[i] - 1;
  const names: string[] = [];
  for (let k = first; k <= last; k++) names.push(ifaceName(b, h.ifIndex[k]));
  const spanNs = (h.tsSec[last] - h.tsSec[first]) * 1e9 + (h.tsNsec[last] - h.tsNsec[first]);
  return ` [${names.join(' → ')}, +${spanText(spanNs)}]`;
}

function ifaceName(b: FrameBatch, ifIndex: number): string {
  const name = b.interfaces[ifIndex]?.name;
  return name === undefined ? `if${ifIndex}` : sanitize(name);
}
