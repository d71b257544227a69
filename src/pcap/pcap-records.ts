import type { BatchBuilder } from '../source/batch-builder.js';
import type { CaptureInterface } from '../source/frame-batch.js';
import type { ChunkWindow } from './chunk-window.js';
import { MAX_FRAME_BYTES, fileError, type RecordParser } from './record-parser.js';
import type { CaptureFileError } from '../errors.js';

export const PCAP_HEADER_BYTES = 24;
const RECORD_HEADER_BYTES = 16;
const MAGIC_MICRO = 0xa1b2c3d4;
const MAGIC_NANO = 0xa1b23c4d;
/** libpcap's LT_LINKTYPE: the upper 6 bits carry FCS information, not the link type. */
const LINKTYPE_MASK = 0x03ffffff;

export interface PcapHeader {
  littleEndian: boolean;
  nanosecond: boolean;
  linkType: number;
  snapLen: number;
}

/** Recognises the classic pcap magic in either byte order; null if these 4 bytes are not one. */
export function pcapMagic(view: DataView, at: number): { littleEndian: boolean; nanosecond: boolean } | null {
  for (const littleEndian of [true, false]) {
    const m = view.getUint32(at, littleEndian);
    if (m === MAGIC_MICRO) return { littleEndian, nanosecond: false };
    if (m === MAGIC_NANO) return { littleEndian, nanosecond: true };
  }
  return null;
}

/** Parses the 24-byte global header at `w.start` (the caller made it available) and consumes it. */
export function readPcapHeader(w: ChunkWindow, file: string): PcapHeader {
  const at = w.start;
  const magic = pcapMagic(w.view, at);
  if (!magic) throw fileError('BS_PCAP_BAD_MAGIC', file, w.position, 'not a pcap file (bad magic)');
  const le = magic.littleEndian;
  const major = w.view.getUint16(at + 4, le);
  const minor = w.view.getUint16(at + 6, le);
  // Wireshark and libpcap read every 2.x file; 1.x and later majors are other formats.
  if (major !== 2) {
    throw fileError('BS_PCAP_BAD_VERSION', file, w.position + 4, `unsupported pcap version ${major}.${minor}`);
  }
  const header = {
    ...magic,
    snapLen: w.view.getUint32(at + 16, le),
    linkType: w.view.getUint32(at + 20, le) & LINKTYPE_MASK,
  };
  w.start += PCAP_HEADER_BYTES;
  return header;
}

export function pcapInterface(h: PcapHeader): CaptureInterface {
  return { id: 0, linkType: h.linkType, snapLen: h.snapLen };
}

/**
 * Classic pcap records. ts_sec is unsigned (as in Wireshark); a fraction of a second or more in
 * the sub-second field is carried into the seconds, so tsNsec stays below 1e9.
 */
export class PcapRecords implements RecordParser {
  private readonly le: boolean;
  private readonly nsPerUnit: number;

  constructor(
    h: PcapHeader,
    private readonly file: string,
  ) {
    this.le = h.littleEndian;
    this.nsPerUnit = h.nanosecond ? 1 : 1000;
  }

  step(w: ChunkWindow, out: BatchBuilder): number {
    if (w.available < RECORD_HEADER_BYTES) return RECORD_HEADER_BYTES;
    const v = w.view;
    const at = w.start;
    const le = this.le;
    const capLen = v.getUint32(at + 8, le);
    if (capLen > MAX_FRAME_BYTES) {
      throw fileError('BS_PCAP_FRAME_TOO_LARGE', this.file, w.position,
        `record claims a ${capLen}-byte frame, more than the ${MAX_FRAME_BYTES}-byte maximum (corrupt file)`);
    }
    const total = RECORD_HEADER_BYTES + capLen;
    if (w.available < total) return total;
    let sec = v.getUint32(at, le);
    let nsec = v.getUint32(at + 4, le) * this.nsPerUnit;
    if (nsec >= 1e9) {
      const carry = Math.floor(nsec / 1e9);
      sec += carry;
      nsec -= carry * 1e9;
    }
    out.push(at + RECORD_HEADER_BYTES, capLen, v.getUint32(at + 12, le), sec, nsec, 0);
    w.start += total;
    return 0;
  }

  truncated(w: ChunkWindow): CaptureFileError {
    const part = w.available < RECORD_HEADER_BYTES ? 'record header' : 'frame data';
    return fileError('BS_PCAP_TRUNCATED_RECORD', this.file, w.position,
      `file ends inside a record (${part}: ${w.available} bytes left)`);
  }
}
