/** Big-endian field readers over a Uint8Array; callers have already checked the length. */

export function u16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

export function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/** A MAC address as a 48-bit integer: exact in a double, usable as a Map key without a string. */
export function mac48(b: Uint8Array, o: number): number {
  return (b[o] * 0x10000 + ((b[o + 1] << 8) | b[o + 2])) * 0x1000000 + ((b[o + 3] << 16) | (b[o + 4] << 8) | b[o + 5]);
}

const HEX2: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Colon-separated hex, as tcpdump and tshark print hardware addresses. */
export function formatMac(b: Uint8Array, o: number, len = 6): string {
  let s = HEX2[b[o]];
  for (let i = 1; i < len; i++) s += ':' + HEX2[b[o + i]];
  return s;
}

export function formatIpv4(b: Uint8Array, o: number): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}

export function formatIpv4Number(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

export function formatMacNumber(mac: number): string {
  let s = '';
  for (let shift = 5; shift >= 0; shift--) {
    const byte = Math.floor(mac / 2 ** (8 * shift)) & 255;
    s += (shift === 5 ? '' : ':') + HEX2[byte];
  }
  return s;
}

/** RFC 5952 text form of an IPv6 address (longest zero run compressed, lowercase). */
export function formatIpv6(b: Uint8Array, o: number): string {
  const words: number[] = [];
  for (let i = 0; i < 8; i++) words.push(u16(b, o + 2 * i));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const part = (from: number, to: number) => words.slice(from, to).map((w) => w.toString(16)).join(':');
  if (bestStart < 0) return part(0, 8);
  return `${part(0, bestStart)}::${part(bestStart + bestLen, 8)}`;
}

/** RFC 1071 ones'-complement sum over [start, end); 0 means the checksum field verified. */
export function internetChecksum(b: Uint8Array, start: number, end: number): number {
  let sum = 0;
  let i = start;
  for (; i + 1 < end; i += 2) sum += (b[i] << 8) | b[i + 1];
  if (i < end) sum += b[i] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
