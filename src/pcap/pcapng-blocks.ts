import type { CaptureFileError } from '../errors.js';
import type { BatchBuilder } from '../source/batch-builder.js';
import type { CaptureInterface } from '../source/frame-batch.js';
import { META_CAPS, type CaptureFileMeta } from './capture-meta.js';
import { BlockType } from './pcapng-format.js';
import type { ChunkWindow } from './chunk-window.js';
import { OPT_COMMENT, forEachOption, optionString, pad4 } from './pcapng-options.js';
import { MAX_FRAME_BYTES, fileError, type RecordParser } from './record-parser.js';
import { readIsb, readNrb } from './pcapng-side-blocks.js';
import { tickResolution, ticksToTime, type SecNsec, type TickResolution } from './timestamps.js';

const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const BLOCK_HEADER_BYTES = 12;
/** Wireshark's cap on one block; larger lengths mean a corrupt file, not a big record. */
const MAX_BLOCK_BYTES = 16 * 1024 * 1024;
/** Smallest total length of each block type we read (header, fixed fields, trailer). */
function minLength(type: number): number {
  switch (type) {
    case BlockType.EPB:
    case BlockType.PACKET_OBSOLETE:
      return 32;
    case BlockType.SHB:
      return 28;
    case BlockType.ISB:
      return 24;
    case BlockType.IDB:
      return 20;
    case BlockType.SPB:
    case BlockType.CUSTOM_COPY:
    case BlockType.CUSTOM_NOCOPY:
      return 16;
    default:
      return BLOCK_HEADER_BYTES;
  }
}
const DEFAULT_TSRESOL = 6;
/** What a kept NRB record costs beyond its bytes (its object, its strings, its array). */
const NRB_RECORD_OVERHEAD = 64;

/**
 * pcapng blocks. Byte order is per section (from each SHB); interface ids restart at every SHB,
 * so `section` maps this section's ids to indexes in the reader's global interface list, which
 * is what CaptureInterface.id and FrameBatch.ifIndex mean.
 */
export class PcapngBlocks implements RecordParser {
  private le = true;
  private section: number[] = [];
  private readonly resolution: TickResolution[] = [];
  private frameNumber = 0;
  private readonly time: SecNsec = { sec: 0, nsec: 0 };
  /** Bytes charged so far to each META_CAPS budget. */
  private readonly used = { commentBytes: 0, nameRecordBytes: 0, customBlockBytes: 0 };

  constructor(
    private readonly file: string,
    private readonly interfaces: CaptureInterface[],
    private readonly meta: CaptureFileMeta,
  ) {}

  step(w: ChunkWindow, out: BatchBuilder): number {
    if (w.available < BLOCK_HEADER_BYTES) return BLOCK_HEADER_BYTES;
    const v = w.view;
    const at = w.start;
    // The SHB type is a palindrome, so it reads the same before its byte order is known.
    if (v.getUint32(at, true) === BlockType.SHB) this.le = this.sectionByteOrder(w);
    const le = this.le;
    const type = v.getUint32(at, le);
    const length = v.getUint32(at + 4, le);
    if (length < minLength(type) || length % 4 !== 0 || length > MAX_BLOCK_BYTES) {
      throw fileError('BS_PCAPNG_BAD_BLOCK_LENGTH', this.file, w.position,
        `block type 0x${type.toString(16)} has invalid length ${length}`);
    }
    if (w.available < length) return length;
    const trailer = v.getUint32(at + length - 4, le);
    if (trailer !== length) {
      throw fileError('BS_PCAPNG_BLOCK_LENGTH_MISMATCH', this.file, w.position,
        `block type 0x${type.toString(16)} length fields disagree (${length} at start, ${trailer} at end)`);
    }
    switch (type) {
      case BlockType.EPB:
        this.packet(w, out, v.getUint32(at + 8, le), at + 12, length);
        break;
      case BlockType.PACKET_OBSOLETE:
        this.packet(w, out, v.getUint16(at + 8, le), at + 12, length);
        break;
      case BlockType.SPB:
        this.simplePacket(w, out, length);
        break;
      case BlockType.SHB:
        this.sectionHeader(w, length);
        break;
      case BlockType.IDB:
        this.interfaceDescription(w, length);
        break;
      case BlockType.NRB:
        this.nameBlock(w, length);
        break;
      case BlockType.ISB: {
        const stats = readIsb(v, at, length, le, this.globalInterface(w, v.getUint32(at + 8, le)));
        if (this.meta.interfaceStats.length < META_CAPS.interfaceStats) this.meta.interfaceStats.push(stats);
        else this.meta.omitted.interfaceStats++;
        break;
      }
      case BlockType.CUSTOM_COPY:
      case BlockType.CUSTOM_NOCOPY:
        this.customBlock(w, type, length);
        break;
      default:
        break; // Unknown and unneeded block types (DSB, journal export ...) are skipped.
    }
    w.start += length;
    return 0;
  }

  /** Charges `bytes` to a META_CAPS budget; false (nothing charged) when they do not fit. */
  private take(budget: 'commentBytes' | 'nameRecordBytes' | 'customBlockBytes', bytes: number): boolean {
    if (this.used[budget] + bytes > META_CAPS[budget]) return false;
    this.used[budget] += bytes;
    return true;
  }

  private customBlock(w: ChunkWindow, type: number, length: number): void {
    const at = w.start;
    if (!this.take('customBlockBytes', length - 16)) {
      this.meta.omitted.customBlocks++;
      return;
    }
    this.meta.customBlocks.push({
      pen: w.view.getUint32(at + 8, this.le),
      data: w.buf.slice(at + 12, at + length - 4),
      copyable: type === BlockType.CUSTOM_COPY,
      frame: this.frameNumber,
    });
  }

  truncated(w: ChunkWindow): CaptureFileError {
    const what = w.available < BLOCK_HEADER_BYTES ? 'a block header' : 'a block';
    return fileError('BS_PCAPNG_TRUNCATED_BLOCK', this.file, w.position,
      `file ends inside ${what} (${w.available} bytes left)`);
  }

  /** EPB and the obsolete Packet Block share their layout after the interface id. */
  private packet(w: ChunkWindow, out: BatchBuilder, ifId: number, at: number, length: number): void {
    const v = w.view;
    const le = this.le;
    const g = this.globalInterface(w, ifId);
    const capLen = v.getUint32(at + 8, le);
    const block = w.start;
    if (capLen > length - 32) {
      throw fileError('BS_PCAPNG_BAD_CAPLEN', this.file, w.position,
        `packet block captured length ${capLen} exceeds its block length ${length}`);
    }
    if (capLen > MAX_FRAME_BYTES) {
      throw fileError('BS_PCAPNG_FRAME_TOO_LARGE', this.file, w.position,
        `packet block claims a ${capLen}-byte frame, more than the ${MAX_FRAME_BYTES}-byte maximum`);
    }
    ticksToTime(v.getUint32(at, le), v.getUint32(at + 4, le), this.resolution[g], this.time);
    out.push(at + 16, capLen, v.getUint32(at + 12, le), this.time.sec, this.time.nsec, g);
    const optionsAt = at + 16 + pad4(capLen);
    if (optionsAt < block + length - 4) this.frameOptions(w, optionsAt, block + length - 4);
    this.frameNumber++;
  }

  /** A loop, not push(...records): an NRB may hold more records than a call has arguments. */
  private nameBlock(w: ChunkWindow, length: number): void {
    const { omitted, options } = readNrb(w.buf, w.view, w.start + 8, w.start + length - 4, this.le, this.meta.nameRecords,
      (bytes) => this.take('nameRecordBytes', bytes + NRB_RECORD_OVERHEAD));
    this.meta.omitted.nameRecords += omitted;
    if (options.length > 0) this.meta.nameBlockOptions.push({ frame: this.frameNumber, options });
  }

  /** SPB: no interface id (always the section's first), no timestamp (reported as the epoch). */
  private simplePacket(w: ChunkWindow, out: BatchBuilder, length: number): void {
    const g = this.globalInterface(w, 0);
    const origLen = w.view.getUint32(w.start + 8, this.le);
    const snap = this.interfaces[g].snapLen;
    const capLen = Math.min(origLen, snap === 0 ? origLen : snap, length - 16);
    out.push(w.start + 12, capLen, origLen, 0, 0, g);
    this.frameNumber++;
  }

  /** Packet comments, while the caps allow: a frame keeps all of its comments or none. */
  private frameOptions(w: ChunkWindow, from: number, to: number): void {
    const comments = this.meta.frameComments;
    let omitted = false;
    forEachOption(w.view, from, to, this.le, (code, valueAt, len) => {
      if (code !== OPT_COMMENT || omitted) return;
      const list = comments.get(this.frameNumber);
      if ((!list && comments.size >= META_CAPS.frameComments) || !this.take('commentBytes', len)) {
        omitted = true;
        if (list) comments.delete(this.frameNumber);
        return;
      }
      if (list) list.push(optionString(w.buf, valueAt, len));
      else comments.set(this.frameNumber, [optionString(w.buf, valueAt, len)]);
    });
    if (omitted) this.meta.omitted.frameComments++;
  }

  private sectionByteOrder(w: ChunkWindow): boolean {
    const bom = w.view.getUint32(w.start + 8, true);
    if (bom === BYTE_ORDER_MAGIC) return true;
    if (bom === 0x4d3c2b1a) return false;
    throw fileError('BS_PCAPNG_BAD_BYTE_ORDER', this.file, w.position + 8,
      `section header has no valid byte-order magic (0x${bom.toString(16)})`);
  }

  private sectionHeader(w: ChunkWindow, length: number): void {
    const v = w.view;
    const at = w.start;
    const major = v.getUint16(at + 12, this.le);
    const minor = v.getUint16(at + 14, this.le);
    if (major !== 1) {
      throw fileError('BS_PCAPNG_BAD_VERSION', this.file, w.position + 12,
        `unsupported pcapng section version ${major}.${minor}`);
    }
    this.section = [];
    const meta = this.meta;
    forEachOption(v, at + 24, at + length - 4, this.le, (code, valueAt, len) => {
      if (!this.take('commentBytes', len)) {
        if (code === OPT_COMMENT) meta.omitted.sectionComments++;
        return;
      }
      const text = optionString(w.buf, valueAt, len);
      if (code === OPT_COMMENT) meta.sectionComments.push(text);
      else if (code === 2) meta.shbHardware ??= text;
      else if (code === 3) meta.shbOs ??= text;
      else if (code === 4) meta.shbUserAppl ??= text;
    });
  }

  private interfaceDescription(w: ChunkWindow, length: number): void {
    const v = w.view;
    const at = w.start;
    const le = this.le;
    const iface: CaptureInterface = {
      id: this.interfaces.length,
      linkType: v.getUint16(at + 8, le),
      snapLen: v.getUint32(at + 12, le),
    };
    let tsresol = DEFAULT_TSRESOL;
    let offsetSec = 0;
    forEachOption(v, at + 16, at + length - 4, le, (code, valueAt, len) => {
      if (code === 2) iface.name = optionString(w.buf, valueAt, len);
      else if (code === 3) iface.description = optionString(w.buf, valueAt, len);
      else if (code === 9 && len >= 1) tsresol = w.buf[valueAt];
      else if (code === 14 && len >= 8) offsetSec = Number(v.getBigInt64(valueAt, le));
    });
    this.section.push(iface.id);
    this.interfaces.push(iface);
    this.resolution.push(tickResolution(tsresol, offsetSec));
  }

  private globalInterface(w: ChunkWindow, ifId: number): number {
    const g = this.section[ifId];
    if (g === undefined) {
      throw fileError('BS_PCAPNG_UNDECLARED_INTERFACE', this.file, w.position,
        `block refers to interface ${ifId}, but this section declares ${this.section.length} interface(s)`);
    }
    return g;
  }
}
