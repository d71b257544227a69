import { isIPv4 } from 'node:net';
import { NATIVE_EPB } from '../capture/native.js';
import type { CaptureInterface, CaptureStats, FrameBatch, OwnedFrame } from '../source/frame-batch.js';
import type { CustomOption, NameRecord } from './capture-meta.js';
import { nsTicks, type CaptureWriter } from './capture-writer.js';
import { FileSink } from './file-sink.js';
import { ipBytes } from './ip-bytes.js';
import { MAX_FRAME_BYTES } from './record-parser.js';
import { BlockType } from './pcapng-format.js';

export interface PcapngWriterOptions {
  /** SHB opt_comment. */
  comment?: string;
  hardware?: string;
  os?: string;
  /** shb_userappl (default "bridgescope"). */
  userAppl?: string;
}

const OPT_COMMENT = 1;
const OPT_CUSTOM_BINARY = 2989;
const OPT_CUSTOM_BINARY_NOCOPY = 19373;
const IF_NAME = 2;
const IF_DESCRIPTION = 3;
const IF_TSRESOL = 9;
const ISB_IFRECV = 4;
const ISB_IFDROP = 5;
const ISB_OSDROP = 7;
const TSRESOL_NANO = new Uint8Array([9]);
const utf8 = new TextEncoder();

/**
 * pcapng, little-endian, one section, nanosecond timestamps (if_tsresol 9 on every IDB). An IDB
 * is written by `declareInterfaces`, or else the first time a frame arrives from an interface not
 * seen before: for batches the key is the interface's id, link type and name; for OwnedFrames,
 * its ifIndex and link type.
 */
export class PcapngWriter implements CaptureWriter {
  private readonly sink: FileSink;
  private readonly idbByKey = new Map<string, number>();
  private readonly idbNames: (string | undefined)[] = [];
  /** batch ifIndex -> IDB number, rebuilt per batch (reused to avoid allocating per batch). */
  private batchIdb = new Int32Array(16);
  private readonly ticks = { hi: 0, lo: 0 };
  framesWritten = 0;

  constructor(
    readonly path: string,
    opts: PcapngWriterOptions = {},
  ) {
    this.sink = new FileSink(path);
    const s = this.sink;
    const at = this.begin(BlockType.SHB);
    s.u32(0x1a2b3c4d);
    s.u16(1);
    s.u16(0);
    s.u32(0xffffffff); // section length: unknown (-1), so the file may grow after any flush
    s.u32(0xffffffff);
    this.stringOption(OPT_COMMENT, opts.comment);
    this.stringOption(2, opts.hardware);
    this.stringOption(3, opts.os);
    this.stringOption(4, opts.userAppl ?? 'bridgescope');
    this.end(at, true);
    s.flush();
  }

  /**
   * IDBs for interfaces known before their first frame (a live capture's, at start), so the file
   * or stream says at once what it captures and each gets its ISB at close even if it saw nothing.
   */
  declareInterfaces(interfaces: readonly CaptureInterface[]): void {
    for (const i of interfaces) this.interfaceFor(i);
    this.sink.flush();
  }

  writeBatch(batch: FrameBatch, commentOf?: (i: number) => string | undefined): void {
    const ifs = batch.interfaces;
    if (this.batchIdb.length < ifs.length) this.batchIdb = new Int32Array(ifs.length * 2);
    this.batchIdb.fill(-1, 0, ifs.length);
    if (batch.epbArena && !commentOf && this.writeNativeBlocks(batch)) return;
    for (let i = 0; i < batch.count; i++) {
      const idb = this.idbOf(batch, i);
      const start = batch.offset[i];
      const comment = commentOf?.(i);
      this.epb(idb, batch.tsSec[i], batch.tsNsec[i], batch.origLen[i], batch.data.subarray(start, start + batch.capLen[i]), comment === undefined ? undefined : [comment]);
    }
    this.sink.flush();
  }

  /**
   * A native batch's EPBs go to the file as the addon laid them out (one write, no copy here),
   * with the interface id set where this file's IDB is not 0. False, with nothing written, when
   * the frames are not the arena's blocks back to back (the caller then writes them one by one).
   */
  private writeNativeBlocks(batch: FrameBatch): boolean {
    const { headerBytes, trailerBytes, interfaceIdAt } = NATIVE_EPB;
    const n = batch.count;
    const from = n > 0 ? batch.offset[0] - headerBytes : 0;
    if (from < 0) return false;
    let next = from;
    for (let i = 0; i < n; i++) {
      if (batch.offset[i] !== next + headerBytes) return false;
      next += headerBytes + ((batch.capLen[i] + 3) & ~3) + trailerBytes;
    }
    if (next > batch.data.length) return false;
    const data = batch.data;
    let view: DataView | undefined;
    for (let i = 0; i < n; i++) {
      const idb = this.idbOf(batch, i);
      if (idb === 0) continue;
      view ??= new DataView(data.buffer, data.byteOffset, data.length);
      view.setUint32(batch.offset[i] - headerBytes + interfaceIdAt, idb, true);
    }
    this.sink.writeThrough(data.subarray(from, next));
    this.framesWritten += n;
    return true;
  }

  /** The IDB of frame i's interface (written now if this file has none for it yet). */
  private idbOf(batch: FrameBatch, i: number): number {
    const ifIndex = batch.ifIndex[i];
    const idb = this.batchIdb[ifIndex];
    if (idb >= 0) return idb;
    return (this.batchIdb[ifIndex] = this.interfaceFor(batch.interfaces[ifIndex] ?? { id: ifIndex, linkType: 1, snapLen: 0 }));
  }

  writeFrame(frame: OwnedFrame, comments?: string[]): void {
    const idb = this.interfaceFor({ id: frame.ifIndex, linkType: frame.linkType, snapLen: 0 });
    this.epb(idb, frame.tsSec, frame.tsNsec, frame.origLen, frame.bytes.subarray(0, frame.capLen), comments);
    this.sink.flush();
  }

  /** A custom block (e.g. a topology snapshot); `data` is zero-padded to a multiple of 4 bytes. */
  addCustomBlock(pen: number, data: Uint8Array, copyable = true): void {
    const at = this.begin(copyable ? BlockType.CUSTOM_COPY : BlockType.CUSTOM_NOCOPY);
    this.sink.u32(pen);
    this.sink.bytes(data);
    this.end(at, false);
    this.sink.flush();
  }

  /** An NRB naming IPv4 and IPv6 addresses, with custom options (e.g. a topology snapshot) after them. */
  addNameRecords(records: NameRecord[], options: readonly CustomOption[] = []): void {
    const s = this.sink;
    const at = this.begin(BlockType.NRB);
    for (const r of records) {
      const addr = ipBytes(r.ip);
      const names = utf8.encode(r.names.map((n) => `${n}\0`).join(''));
      s.u16(isIPv4(r.ip) ? 1 : 2);
      s.u16(addr.length + names.length);
      s.bytes(addr);
      s.bytes(names);
      s.pad4();
    }
    s.u32(0); // nrb_record_end
    for (const o of options) {
      if (o.data.length + 4 > 0xffff) throw new RangeError(`a custom option holds at most ${0xffff - 4} bytes (got ${o.data.length})`);
      s.u16(o.copyable ? OPT_CUSTOM_BINARY : OPT_CUSTOM_BINARY_NOCOPY);
      s.u16(o.data.length + 4);
      s.u32(o.pen);
      s.bytes(o.data);
      s.pad4();
    }
    this.end(at, options.length > 0);
    s.flush();
  }

  /**
   * Writes an ISB for each stats entry whose interface name matches an IDB, then closes the file.
   * Stats of an interface that delivered no frame have no IDB to refer to and are not written.
   */
  close(stats: CaptureStats[] = []): void {
    for (const st of stats) {
      const idb = this.idbNames.indexOf(st.interface);
      if (idb >= 0) this.isb(idb, st);
    }
    this.sink.close();
  }

  private interfaceFor(iface: CaptureInterface): number {
    const key = `${iface.id}\0${iface.linkType}\0${iface.name ?? ''}`;
    const known = this.idbByKey.get(key);
    if (known !== undefined) return known;
    const s = this.sink;
    const at = this.begin(BlockType.IDB);
    s.u16(iface.linkType);
    s.u16(0);
    s.u32(iface.snapLen || MAX_FRAME_BYTES);
    this.stringOption(IF_NAME, iface.name);
    this.stringOption(IF_DESCRIPTION, iface.description);
    this.option(IF_TSRESOL, TSRESOL_NANO);
    this.end(at, true);
    const idb = this.idbNames.length;
    this.idbNames.push(iface.name);
    this.idbByKey.set(key, idb);
    return idb;
  }

  private epb(idb: number, sec: number, nsec: number, origLen: number, bytes: Uint8Array, comments?: string[]): void {
    nsTicks(sec, nsec, this.ticks); // may throw: before any byte of the block is buffered
    const s = this.sink;
    const at = this.begin(BlockType.EPB);
    s.u32(idb);
    s.u32(this.ticks.hi);
    s.u32(this.ticks.lo);
    s.u32(bytes.length);
    s.u32(origLen);
    s.bytes(bytes);
    s.pad4();
    for (const c of comments ?? []) this.stringOption(OPT_COMMENT, c);
    this.end(at, (comments?.length ?? 0) > 0);
    this.framesWritten++;
  }

  private isb(idb: number, st: CaptureStats): void {
    const s = this.sink;
    const at = this.begin(BlockType.ISB);
    nsTicks(Math.floor(Date.now() / 1000), (Date.now() % 1000) * 1e6, this.ticks);
    s.u32(idb);
    s.u32(this.ticks.hi);
    s.u32(this.ticks.lo);
    for (const [code, n] of [[ISB_IFRECV, st.received], [ISB_IFDROP, st.droppedByInterface], [ISB_OSDROP, st.droppedByKernel]]) {
      s.u16(code);
      s.u16(8);
      s.u64(BigInt(n));
    }
    this.end(at, true);
  }

  /** Starts a block; returns where it starts so `end` can write its length. */
  private begin(type: number): number {
    const at = this.sink.length;
    this.sink.u32(type);
    this.sink.u32(0);
    return at;
  }

  /** Ends options (opt_endofopt) if any were written, pads, and writes the length at both ends. */
  private end(at: number, hadOptions: boolean): void {
    const s = this.sink;
    s.pad4();
    if (hadOptions) s.u32(0);
    const length = s.length - at + 4;
    s.u32(length);
    s.patchU32(at + 4, length);
  }

  private stringOption(code: number, text: string | undefined): void {
    if (text !== undefined) this.option(code, utf8.encode(text));
  }

  private option(code: number, value: Uint8Array): void {
    this.sink.u16(code);
    this.sink.u16(value.length);
    this.sink.bytes(value);
    this.sink.pad4();
  }
}
