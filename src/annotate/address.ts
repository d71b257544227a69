/**
 * Addresses as the numbers the decoder reads off the wire (see Resolver): a MAC as a 48-bit
 * integer (exact in a double), an IPv4 address as an unsigned 32-bit integer.
 */
export function macToNumber(mac: string): number {
  const parts = mac.split(/[:-]/);
  if (parts.length !== 6) throw new RangeError(`not a MAC address: ${mac}`);
  let n = 0;
  for (const p of parts) {
    const byte = Number.parseInt(p, 16);
    if (!/^[0-9a-fA-F]{1,2}$/.test(p) || Number.isNaN(byte)) throw new RangeError(`not a MAC address: ${mac}`);
    n = n * 256 + byte;
  }
  return n;
}

export function ipv4ToNumber(ip: string): number {
  const parts = ip.split('.');
  if (parts.length !== 4) throw new RangeError(`not an IPv4 address: ${ip}`);
  let n = 0;
  for (const p of parts) {
    const octet = Number(p);
    if (!/^\d{1,3}$/.test(p) || octet > 255) throw new RangeError(`not an IPv4 address: ${ip}`);
    n = n * 256 + octet;
  }
  return n;
}

/** The 16 bytes of an IPv6 address in text form (RFC 4291 §2.2, with an optional embedded IPv4 tail). */
export function ipv6ToBytes(text: string): Uint8Array {
  const bad = () => new RangeError(`not an IPv6 address: ${text}`);
  const halves = text.split('::');
  if (halves.length > 2) throw bad();
  const words = (s: string): number[] => {
    if (s === '') return [];
    const out: number[] = [];
    for (const part of s.split(':')) {
      if (part.includes('.')) {
        const v4 = ipv4ToNumber(part);
        out.push(v4 >>> 16, v4 & 0xffff);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) out.push(Number.parseInt(part, 16));
      else throw bad();
    }
    return out;
  };
  const head = words(halves[0]);
  const tail = halves.length === 2 ? words(halves[1]) : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 2 ? fill < 1 : fill !== 0) throw bad();
  const all = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...tail];
  const b = new Uint8Array(16);
  all.forEach((w, i) => {
    b[2 * i] = w >> 8;
    b[2 * i + 1] = w & 255;
  });
  return b;
}

/** The link-local address the kernel gives an interface with this MAC (addr_gen_mode eui64, RFC 4291 App. A). */
export function linkLocalOf(mac: string): string {
  const m = mac.split(':').map((h) => Number.parseInt(h, 16));
  if (m.length !== 6 || m.some((x) => Number.isNaN(x))) throw new RangeError(`not a MAC address: ${mac}`);
  const w = (a: number, b: number) => ((a << 8) | b).toString(16);
  return `fe80::${w(m[0] ^ 2, m[1])}:${w(m[2], 0xff)}:${w(0xfe, m[3])}:${w(m[4], m[5])}`;
}
