import { BridgescopeError } from '../errors.js';
import type { CaptureStats, FrameBatch, OwnedFrame } from '../source/frame-batch.js';
import { timeOutOfRange, type CaptureWriter } from './capture-writer.js';
import { FileSink } from './file-sink.js';
import { MAX_FRAME_BYTES } from './record-parser.js';

export interface PcapWriterOptions {
  /** Link type written in the header until the first frame says otherwise (default 1, Ethernet). */
  linkType?: number;
  snapLen?: number;
}

const MAGIC_NANO = 0xa1b23c4d;

/**
 * Classic pcap with nanosecond timestamps (magic a1b23c4d, little-endian). The header is written
 * at once so even an empty file is valid; it is rewritten if the first frame brings another link
 * type. A pcap file has one link type: a later frame of another type is an error (use pcapng).
 */
export class PcapWriter implements CaptureWriter {
  private readonly sink: FileSink;
  private linkType: number;
  private readonly snapLen: number;
  framesWritten = 0;

  constructor(
    readonly path: string,
    opts: PcapWriterOptions = {},
  ) {
    this.sink = new FileSink(path);
    this.linkType = opts.linkType ?? 1;
    this.snapLen = opts.snapLen ?? MAX_FRAME_BYTES;
    this.sink.bytes(pcapHeader(this.linkType, this.snapLen));
    this.sink.flush();
  }

  writeBatch(batch: FrameBatch): void {
    const { interfaces: ifs } = batch;
    for (let i = 0; i < batch.count; i++) {
      this.checkLinkType(ifs[batch.ifIndex[i]]?.linkType ?? 1);
      const start = batch.offset[i];
      this.record(batch.tsSec[i], batch.tsNsec[i], batch.origLen[i], batch.data.subarray(start, start + batch.capLen[i]));
    }
    this.sink.flush();
  }

  writeFrame(frame: OwnedFrame): void {
    this.checkLinkType(frame.linkType);
    this.record(frame.tsSec, frame.tsNsec, frame.origLen, frame.bytes.subarray(0, frame.capLen));
    this.sink.flush();
  }

  close(_stats?: CaptureStats[]): void {
    this.sink.close();
  }

  private checkLinkType(linkType: number): void {
    if (linkType === this.linkType) return;
    if (this.framesWritten > 0) {
      throw new BridgescopeError('BS_PCAP_MIXED_LINK_TYPES',
        `${this.path}: a pcap file holds one link type (${this.linkType}); frame of link type ${linkType} needs a .pcapng file`);
    }
    // No record yet: the header (already on disk) is all the file holds, so replace it in place.
    this.linkType = linkType;
    this.sink.rewrite(0, pcapHeader(linkType, this.snapLen));
  }

  private record(sec: number, nsec: number, origLen: number, bytes: Uint8Array): void {
    if (sec < 0 || sec > 0xffffffff) throw timeOutOfRange(sec, 'pcap (unsigned 32-bit seconds)');
    const s = this.sink;
    s.u32(sec);
    s.u32(nsec);
    s.u32(bytes.length);
    s.u32(origLen);
    s.bytes(bytes);
    this.framesWritten++;
  }
}

function pcapHeader(linkType: number, snapLen: number): Uint8Array {
  const h = new Uint8Array(24);
  const v = new DataView(h.buffer);
  v.setUint32(0, MAGIC_NANO, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, snapLen, true);
  v.setUint32(20, linkType, true);
  return h;
}
