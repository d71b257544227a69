/**
 * What a capture file says besides its frames. Filled in as blocks are read, so it is complete
 * only once iteration has ended; pcap files only ever set `format` and `nanosecond`.
 */
export interface CaptureFileMeta {
  format: 'pcap' | 'pcapng';
  /** pcap only: the file uses the nanosecond magic (a1b23c4d). */
  nanosecond: boolean;
  /** opt_comment of every section header, in file order. */
  sectionComments: string[];
  shbHardware?: string;
  shbOs?: string;
  shbUserAppl?: string;
  nameRecords: NameRecord[];
  customBlocks: CustomBlock[];
  /** Custom options of NRBs that have any (an application's data beside its names), in file order. */
  nameBlockOptions: NameBlockOptions[];
  /** opt_comment of packet blocks, keyed by 0-based frame number across the whole file. */
  frameComments: Map<number, string[]>;
  interfaceStats: InterfaceStatistics[];
}

/** One NRB entry: an address (dotted IPv4 or IPv6 text) and the names the capture gave it. */
export interface NameRecord {
  ip: string;
  names: string[];
}

/** A pcapng custom block: Private Enterprise Number and its bytes (zero-padded to 4 bytes). */
export interface CustomBlock {
  pen: number;
  data: Uint8Array;
  /** Block type 0x00000BAD (may be copied to new files) rather than 0x40000BAD. */
  copyable: boolean;
  /** Frames read before it: where it stands in the stream. */
  frame?: number;
}

/** A custom option (codes 2988/2989/19372/19373): its PEN and the bytes after it. */
export interface CustomOption {
  pen: number;
  data: Uint8Array;
  /** Code 2988/2989 (may be copied to new files) rather than 19372/19373. */
  copyable: boolean;
}

/** The custom options of one NRB, and where the NRB stands: the number of frames read before it. */
export interface NameBlockOptions {
  frame: number;
  options: CustomOption[];
}

/** An ISB: counters for `ifIndex` (index into the reader's interface list). */
export interface InterfaceStatistics {
  ifIndex: number;
  received?: bigint;
  /** isb_ifdrop + isb_osdrop, whichever are present. */
  dropped?: bigint;
}

export function emptyMeta(format: CaptureFileMeta['format']): CaptureFileMeta {
  return {
    format,
    nanosecond: false,
    sectionComments: [],
    nameRecords: [],
    customBlocks: [],
    nameBlockOptions: [],
    frameComments: new Map(),
    interfaceStats: [],
  };
}
