/**
 * Malformed or truncated input is data, not an exception: the decoder stops at the first layer it
 * cannot read and records why, with the numbers a user needs to judge it (like etherparse's
 * length errors). Everything decoded before that layer stays valid.
 */
export type ProblemCode = 'truncated' | 'malformed' | 'unsupported';

export interface DecodeProblem {
  code: ProblemCode;
  /** Layer that could not be read: 'ethernet', 'vlan', 'sll', 'arp', 'ipv4', 'icmp', ... */
  layer: string;
  /** Byte offset of that layer within the frame. */
  offset: number;
  /** Bytes the layer needed, and bytes that were there (both 0 when the problem is not a length). */
  required: number;
  actual: number;
  detail: string;
}

export function describeProblem(p: DecodeProblem): string {
  return p.code === 'truncated'
    ? `${p.layer} truncated at offset ${p.offset}: ${p.detail} (needs ${p.required} bytes, has ${p.actual})`
    : `${p.layer} ${p.code} at offset ${p.offset}: ${p.detail}`;
}
