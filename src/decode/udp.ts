/** UDP header field offsets (RFC 768); TCP's ports sit at the same two offsets (RFC 9293). */
export const UDP = { srcPort: 0, dstPort: 2, length: 4, checksum: 6 } as const;
export const UDP_HEADER_LEN = 8;
/** Bytes of a TCP or UDP header that hold both ports. */
export const PORTS_LEN = 4;
