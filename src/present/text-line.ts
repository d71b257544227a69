import { endpointName, type Endpoint, type Resolver } from '../model/endpoint.js';
import { destinationEndpoint, sourceEndpoint } from '../annotate/frame-names.js';
import type { DecodedFrame, IcmpView } from '../decode/index.js';
import { ipv4Bytes, ipv4Text, macBytes, macText } from './address-text.js';
import { asciiChunk, type ByteText } from './byte-text.js';
import type { FrameBatch } from '../source/frame-batch.js';
import { msDigits, spanText } from '../duration.js';
import { TimestampText } from './clock.js';
import { sanitize } from './sanitize.js';
import { frameInfo, idSeqIcmp, idSeqIcmpPrefix } from './frame-info.js';

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

  /**
   * `line`, written as bytes: time, names and addresses from cached bytes, an echo's info from its
   * numbers (a string per line, its pieces and its encoding were most of the text output's time).
   */
  writeLine(o: ByteText, f: DecodedFrame, tsSec: number, tsNsec: number, ifName?: string): void {
    const r = this.resolver;
    const src = sourceEndpoint(f, r, tsSec);
    const dst = destinationEndpoint(f, r, tsSec);
    this.clock.write(o, tsSec, tsNsec);
    if (this.showInterface && ifName) o.text(` ${sanitize(ifName)}`);
    o.bytes(TWO_SPACES);
    writeEndpoint(o, src, f, 'src');
    o.bytes(ARROW);
    writeEndpoint(o, dst, f, 'dst');
    o.bytes(TWO_SPACES);
    const echo = idSeqIcmp(f);
    if (echo) {
      o.bytes(echoPrefix(echo));
      o.number(echo.identifier);
      o.bytes(SEQ);
      o.number(echo.sequence);
    } else o.text(frameInfo(f, r, tsSec));
  }
}

/**
 * `, rtt 0.035 ms`: the suffix of a reply's line, msDigits written from the integer. A tie (500 ns
 * past a microsecond) rounds as the double ns / 1e6 happens to lie, so it takes msDigits itself;
 * so does a time past 2.5 hours, before the double could stray near a rounding step.
 */
export function writeRtt(o: ByteText, ns: number): void {
  o.bytes(RTT);
  const under = ns % 1000;
  if (ns >= 0 && ns < 9e12 && ns === Math.floor(ns) && under !== 500) {
    const us = (ns - under) / 1000 + (under > 500 ? 1 : 0);
    const us3 = us % 1000;
    o.number((us - us3) / 1000);
    o.bytes(DOT);
    o.padded(us3, 3);
  } else o.ascii(msDigits(ns));
  o.bytes(MS);
}

const RTT = asciiChunk(', rtt ');
const DOT = asciiChunk('.');
const MS = asciiChunk(' ms');
const TWO_SPACES = asciiChunk('  ');
const ARROW = asciiChunk(' > ');
const SEQ = asciiChunk(', seq ');
const QUESTION = asciiChunk('?');
const BROADCAST_TEXT = asciiChunk('broadcast');
const echoPrefixes: (Uint8Array | undefined)[] = [];

function echoPrefix(icmp: IcmpView): Uint8Array {
  return (echoPrefixes[icmp.type] ??= asciiChunk(idSeqIcmpPrefix(icmp)));
}

/** Name when known ("alpha@dh1" when names come from several hosts); else the IP address for IP frames, else the MAC ("broadcast" for ff:..:ff). */
export function endpointText(e: Endpoint | undefined, f: DecodedFrame, side: 'src' | 'dst'): string {
  if (e) return nameOf(e).text;
  if (f.ipv4) return ipv4Text(side === 'src' ? f.ipv4.srcNum : f.ipv4.dstNum);
  if (f.ipv6) return side === 'src' ? f.ipv6.src : f.ipv6.dst;
  const mac = side === 'src' ? f.srcMacNum : f.dstMacNum;
  if (mac === undefined) return '?';
  return mac === BROADCAST ? 'broadcast' : macText(mac);
}

/** endpointText, written as bytes. */
function writeEndpoint(o: ByteText, e: Endpoint | undefined, f: DecodedFrame, side: 'src' | 'dst'): void {
  if (e) o.bytes(nameOf(e).bytes);
  else if (f.ipv4) o.bytes(ipv4Bytes(side === 'src' ? f.ipv4.srcNum : f.ipv4.dstNum));
  else if (f.ipv6) o.text(side === 'src' ? f.ipv6.src : f.ipv6.dst);
  else {
    const mac = side === 'src' ? f.srcMacNum : f.dstMacNum;
    o.bytes(mac === undefined ? QUESTION : mac === BROADCAST ? BROADCAST_TEXT : macBytes(mac));
  }
}

/**
 * An endpoint's name as printed, and its UTF-8, made once per endpoint (a resolver hands out one
 * Endpoint object per name and a new one when the name changes): two per frame were a sanitize each.
 */
const names = new WeakMap<Endpoint, { text: string; bytes: Uint8Array }>();

function nameOf(e: Endpoint): { text: string; bytes: Uint8Array } {
  let name = names.get(e);
  if (name === undefined) {
    const text = sanitize(endpointName(e));
    name = { text, bytes: Buffer.from(text, 'utf8') };
    names.set(e, name);
  }
  return name;
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
