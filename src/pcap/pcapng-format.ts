/** pcapng block types (draft-ietf-opsawg-pcapng §4), for the reader and the writer. */
export const enum BlockType {
  /** A palindrome: it reads the same before the section's byte order is known. */
  SHB = 0x0a0d0d0a,
  IDB = 1,
  PACKET_OBSOLETE = 2,
  SPB = 3,
  NRB = 4,
  ISB = 5,
  EPB = 6,
  CUSTOM_COPY = 0x00000bad,
  CUSTOM_NOCOPY = 0x40000bad,
}
