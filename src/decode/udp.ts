/** UDP header field offsets (RFC 768); TCP's ports sit at the same two offsets (RFC 9293). */
export const enum UDP {
  srcPort = 0,
  dstPort = 2,
  length = 4,
  checksum = 6,
  headerLength = 8,
  /** Bytes of a TCP or UDP header that hold both ports. */
  portsLength = 4,
}
