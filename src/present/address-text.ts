import { formatIpv4Number, formatMacNumber } from '../decode/index.js';

const SLOTS = 1024;
const NO_BYTES = new Uint8Array(0);

/**
 * Text of the addresses frame after frame repeats (a flood is two MACs and two IPs): one slot per
 * low 10 bits of the number, so a hit costs a compare and a miss one format, and a file of a
 * million different addresses holds 1024 texts, never more. Beside each text, its ASCII bytes,
 * encoded on a slot's first byte-wise use, for writers that copy bytes (NDJSON).
 */
class AddressTexts {
  private readonly keys = new Float64Array(SLOTS).fill(-1);
  private readonly texts: string[] = new Array<string>(SLOTS).fill('');
  private readonly encoded: Uint8Array[] = new Array<Uint8Array>(SLOTS).fill(NO_BYTES);

  constructor(private readonly format: (n: number) => string) {}

  of(n: number): string {
    const slot = n % SLOTS;
    if (this.keys[slot] !== n) {
      this.keys[slot] = n;
      this.texts[slot] = this.format(n);
      this.encoded[slot] = NO_BYTES;
    }
    return this.texts[slot];
  }

  bytesOf(n: number): Uint8Array {
    const text = this.of(n);
    const slot = n % SLOTS;
    let bytes = this.encoded[slot];
    if (bytes === NO_BYTES) bytes = this.encoded[slot] = Buffer.from(text, 'latin1');
    return bytes;
  }
}

const macs = new AddressTexts(formatMacNumber);
const ipv4s = new AddressTexts(formatIpv4Number);

/** "02:42:ac:1e:00:0a" for a 48-bit MAC number. */
export const macText = (mac: number): string => macs.of(mac);
/** "172.30.0.10" for an unsigned 32-bit IPv4 number. */
export const ipv4Text = (ip: number): string => ipv4s.of(ip);
/** macText's ASCII bytes (kept: do not write to them). */
export const macBytes = (mac: number): Uint8Array => macs.bytesOf(mac);
/** ipv4Text's ASCII bytes (kept: do not write to them). */
export const ipv4Bytes = (ip: number): Uint8Array => ipv4s.bytesOf(ip);
