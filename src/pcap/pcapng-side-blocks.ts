import type { CustomOption, InterfaceStatistics, NameRecord } from './capture-meta.js';
import { forEachOption, pad4 } from './pcapng-options.js';

const NRB_END = 0;
const NRB_IPV4 = 1;
const NRB_IPV6 = 2;
const ISB_IFRECV = 4;
const ISB_IFDROP = 5;
const ISB_OSDROP = 7;
const utf8 = new TextDecoder('utf-8');

/** Custom option codes: UTF-8 and binary, copiable, then the same two not to be copied. */
const CUSTOM_OPTIONS = new Map([[2988, true], [2989, true], [19372, false], [19373, false]]);

/**
 * Name Resolution Block records in `[from, to)`, appended to `out` one by one (a block may hold a
 * million); then its custom options (each a PEN and the bytes after it, copied out of the chunk). `room(bytes)` says whether a record of that
 * value length may still be kept; one that may not is counted in the returned number, not decoded.
 */
export function readNrb(bytes: Uint8Array, v: DataView, from: number, to: number, le: boolean,
  out: NameRecord[], room: (valueBytes: number) => boolean): { omitted: number; options: CustomOption[] } {
  let omitted = 0;
  const options: CustomOption[] = [];
  let at = from;
  while (at + 4 <= to) {
    const type = v.getUint16(at, le);
    const length = v.getUint16(at + 2, le);
    const value = at + 4;
    if (value + length > to) break;
    if (type === NRB_END) {
      forEachOption(v, value + pad4(length), to, le, (code, valueAt, len) => {
        const copyable = CUSTOM_OPTIONS.get(code);
        if (copyable === undefined || len < 4) return;
        options.push({ pen: v.getUint32(valueAt, le), data: bytes.slice(valueAt + 4, valueAt + len), copyable });
      });
      break;
    }
    const addrBytes = type === NRB_IPV4 ? 4 : type === NRB_IPV6 ? 16 : 0;
    if (addrBytes > 0 && length > addrBytes) {
      if (room(length)) {
        const ip = type === NRB_IPV4 ? ipv4Text(bytes, value) : ipv6Text(v, value);
        const names = utf8.decode(bytes.subarray(value + addrBytes, value + length)).split('\0').filter((n) => n !== '');
        out.push({ ip, names });
      } else omitted++;
    }
    at = value + pad4(length);
  }
  return { omitted, options };
}

/** Interface Statistics Block counters for interface `ifIndex` (already mapped to global). */
export function readIsb(v: DataView, at: number, length: number, le: boolean, ifIndex: number): InterfaceStatistics {
  const stats: InterfaceStatistics = { ifIndex };
  forEachOption(v, at + 20, at + length - 4, le, (code, valueAt, len) => {
    if (len < 8) return;
    const n = v.getBigUint64(valueAt, le);
    if (code === ISB_IFRECV) stats.received = n;
    else if (code === ISB_IFDROP) stats.ifDropped = n;
    else if (code === ISB_OSDROP) stats.osDropped = n;
  });
  return stats;
}

function ipv4Text(b: Uint8Array, at: number): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

/** Canonical (RFC 5952, as `ip -6` prints) IPv6 text; the WHATWG URL parser compresses it. */
function ipv6Text(v: DataView, at: number): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(v.getUint16(at + i, false).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}
