/**
 * Bounds on what a file's metadata may hold, whatever the file's size: the reader keeps entries in
 * file order until a cap is reached and counts the rest in `omitted`. Each cap is in the unit the
 * memory grows with (bytes of text or data, or entries of a fixed size), so the metadata of any
 * file stays under about 40 MiB of kept bytes. Custom blocks get the largest share: the topology
 * snapshot travels in one (our writer puts it first, and one block is at most 16 MiB).
 */
export const META_CAPS = {
  /** Packet comments kept, by frame (the frames after the cap keep theirs out of memory). */
  frameComments: 1024,
  /** Bytes of comment text: packet and section comments, and the section's hardware, OS, application. */
  commentBytes: 1 << 20,
  /** Bytes of NRB record values (addresses and names), each record counted 64 bytes more for its objects. */
  nameRecordBytes: 4 << 20,
  interfaceStats: 4096,
  /** Bytes of custom block data. */
  customBlockBytes: 32 << 20,
} as const;

/** What the caps left out: frames whose comments were dropped, records, ISBs and custom blocks. */
export interface OmittedMeta {
  frameComments: number;
  sectionComments: number;
  nameRecords: number;
  interfaceStats: number;
  customBlocks: number;
}

/**
 * What a capture file says besides its frames. Filled in as blocks are read, so it is complete
 * only once iteration has ended; pcap files only ever set `format` and `nanosecond`. Bounded by
 * META_CAPS.
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
  omitted: OmittedMeta;
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
  /** isb_ifrecv (libpcap's ps_recv: received by the filter). */
  received?: bigint;
  /** isb_ifdrop: dropped by the interface (bridgescope writes libpcap's ps_ifdrop here; dumpcap writes ps_drop). */
  ifDropped?: bigint;
  /** isb_osdrop: dropped by the capture system (libpcap's ps_drop: no room in the kernel buffer). */
  osDropped?: bigint;
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
    omitted: { frameComments: 0, sectionComments: 0, nameRecords: 0, interfaceStats: 0, customBlocks: 0 },
  };
}
