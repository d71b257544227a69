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
