import { CaptureFileError } from '../errors.js';
import { BatchBuilder } from '../source/batch-builder.js';
import type { CaptureInterface, CaptureSource, CaptureStats, FrameBatch } from '../source/frame-batch.js';
import type { ByteInput } from './byte-input.js';
import { emptyMeta, type CaptureFileMeta } from './capture-meta.js';
import { ChunkWindow } from './chunk-window.js';
import { PCAP_HEADER_BYTES, PcapRecords, pcapInterface, pcapMagic, readPcapHeader } from './pcap-records.js';
import { PcapngBlocks } from './pcapng-blocks.js';
import { BlockType } from './pcapng-format.js';
import { fileError, type RecordParser } from './record-parser.js';

export interface CaptureFileOptions {
  /** Most frames per batch (default 8192). */
  batchFrames?: number;
  /** Bytes read per chunk (default 1 MiB); a record larger than this grows the chunk. */
  chunkBytes?: number;
}

/**
 * A pcap or pcapng file (or stream) as a CaptureSource. Each batch's `data` is the reader's chunk
 * buffer itself, and nothing is read until the consumer pulls the next batch: memory stays at one
 * chunk whatever the file size, and a slow consumer slows the reader. A damaged file throws a
 * CaptureFileError from the iterator after every frame before the damage has been yielded.
 */
export class CaptureFileSource implements CaptureSource {
  readonly meta: CaptureFileMeta = emptyMeta('pcap');
  /** Interfaces declared so far (the same array every batch's `interfaces` refers to). */
  readonly interfaces: CaptureInterface[] = [];
  private input: ByteInput | null = null;
  private closed = false;
  private started = false;
  /** Name used in error messages. */
  private readonly file: string;

  constructor(
    readonly label: string,
    private readonly openInput: (file: string) => Promise<ByteInput>,
    private readonly opts: CaptureFileOptions = {},
  ) {
    this.file = label === '-' ? 'standard input' : label;
  }

  stats(): CaptureStats[] {
    return [];
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.closeInput();
  }

  [Symbol.asyncIterator](): AsyncIterator<FrameBatch> {
    if (this.started) throw new Error(`${this.label}: a capture file source can be iterated once`);
    this.started = true;
    return this.batches();
  }

  private async *batches(): AsyncGenerator<FrameBatch> {
    try {
      this.input = await this.openInput(this.file);
      const w = new ChunkWindow(this.input, this.opts.chunkBytes ?? 1 << 20);
      const parser = await this.startFormat(w);
      const builder = new BatchBuilder(this.opts.batchFrames ?? 8192, this.interfaces);
      while (!this.closed) {
        const { error, ended } = await this.fillBatch(w, parser, builder);
        if (builder.count > 0) yield builder.take();
        if (error) throw error;
        if (ended) return;
      }
    } finally {
      await this.closeInput();
    }
  }

  /**
   * Parses records into `builder` until it is full, the window runs short (a batch already holding
   * frames is delivered first, since refilling moves the bytes it points into), or damage is found.
   */
  private async fillBatch(
    w: ChunkWindow,
    parser: RecordParser,
    builder: BatchBuilder,
  ): Promise<{ error: CaptureFileError | null; ended: boolean }> {
    builder.reset(w.buf);
    for (;;) {
      let need: number;
      try {
        need = parseWhole(w, parser, builder);
      } catch (e) {
        if (e instanceof CaptureFileError) return { error: e, ended: false };
        throw e;
      }
      if (need === 0 || builder.count > 0) return { error: null, ended: false };
      if (!(await w.fill(need))) {
        return w.available === 0 ? { error: null, ended: true } : { error: parser.truncated(w), ended: false };
      }
      builder.reset(w.buf);
    }
  }

  /** Detects the format by magic, never by file name, and consumes the pcap global header. */
  private async startFormat(w: ChunkWindow): Promise<RecordParser> {
    if (!(await w.fill(4))) {
      if (w.available === 0) throw fileError('BS_PCAP_EMPTY_FILE', this.file, 0, 'empty file (0 bytes), not a capture');
      throw this.truncatedHeader(w, 4);
    }
    if (w.view.getUint32(0, true) === BlockType.SHB) {
      this.meta.format = 'pcapng';
      return new PcapngBlocks(this.file, this.interfaces, this.meta);
    }
    if (!pcapMagic(w.view, 0)) {
      const magic = w.view.getUint32(0, false).toString(16).padStart(8, '0');
      throw fileError('BS_PCAP_BAD_MAGIC', this.file, 0, `not a pcap or pcapng file (magic 0x${magic})`);
    }
    if (!(await w.fill(PCAP_HEADER_BYTES))) throw this.truncatedHeader(w, PCAP_HEADER_BYTES);
    const header = readPcapHeader(w, this.file);
    this.meta.nanosecond = header.nanosecond;
    this.interfaces.push(pcapInterface(header));
    return new PcapRecords(header, this.file);
  }

  private truncatedHeader(w: ChunkWindow, need: number): CaptureFileError {
    return fileError('BS_PCAP_TRUNCATED_HEADER', this.file, 0,
      `file ends inside the file header (${w.available} of ${need} bytes)`);
  }

  private async closeInput(): Promise<void> {
    const input = this.input;
    this.input = null;
    await input?.close();
  }
}

/**
 * The record loop: steps every record that is whole in the window into `builder`; returns the
 * bytes the next record needs, or 0 when the batch is full. Kept apart from the async refill so
 * the optimiser compiles this loop once, rather than again when a refill path first runs.
 */
function parseWhole(w: ChunkWindow, parser: RecordParser, builder: BatchBuilder): number {
  while (!builder.full) {
    const need = parser.step(w, builder);
    if (need !== 0) return need;
  }
  return 0;
}
