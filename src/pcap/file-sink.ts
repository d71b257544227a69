import { closeSync, openSync, writeSync } from 'node:fs';
import { CaptureFileError, type ErrorCode } from '../errors.js';

/** The path that means standard output (`capture -w -`). */
export const STDOUT_PATH = '-';
/** How long a write to a full non-blocking pipe waits before it tries again. */
const FULL_PIPE_WAIT_MS = 1;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * A little-endian byte builder over one growable buffer, written to its file with fs.writeSync at
 * each `flush`. Writers flush once per batch (or frame), so a process killed between batches
 * leaves a file that ends on a record boundary and reads back whole; on standard output (`-`) the
 * reader then gets each batch as soon as it is captured.
 */
export class FileSink {
  private buf = new Uint8Array(1 << 16);
  private view = new DataView(this.buf.buffer);
  private len = 0;
  private readonly fd: number;
  /** Bytes flushed to the file so far. */
  written = 0;

  /** Set by the first failed write: what follows (an ISB at close) would fail the same way. */
  private failed = false;

  constructor(readonly path: string) {
    if (path === STDOUT_PATH) {
      this.fd = 1;
      return;
    }
    try {
      this.fd = openSync(path, 'w');
    } catch (e) {
      throw sinkError('BS_PCAP_CANNOT_CREATE', path, 0, e);
    }
  }

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.len + n, this.buf.length * 2));
    grown.set(this.buf.subarray(0, this.len));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }

  get length(): number {
    return this.len;
  }

  u16(v: number): void {
    this.reserve(2);
    this.view.setUint16(this.len, v, true);
    this.len += 2;
  }

  u32(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.len, v, true);
    this.len += 4;
  }

  u64(v: bigint): void {
    this.reserve(8);
    this.view.setBigUint64(this.len, v, true);
    this.len += 8;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** Zero bytes up to the next multiple of 4 (pcapng alignment). */
  pad4(): void {
    const n = (4 - (this.len % 4)) % 4;
    this.reserve(n);
    this.buf.fill(0, this.len, this.len + n);
    this.len += n;
  }

  /** Overwrites a u32 already in the buffer (a block length known only at its end). */
  patchU32(at: number, v: number): void {
    this.view.setUint32(at, v, true);
  }

  flush(): void {
    this.writeOut(this.buf, this.len);
    this.len = 0;
  }

  /** Flushes, then writes `bytes` straight from the caller's memory (blocks already laid out). */
  writeThrough(bytes: Uint8Array): void {
    this.flush();
    this.writeOut(bytes, bytes.length);
  }

  private writeOut(bytes: Uint8Array, len: number): void {
    if (this.failed) return;
    let done = 0;
    while (done < len) {
      try {
        done += writeSync(this.fd, bytes, done, len - done);
      } catch (e) {
        // Standard output is non-blocking once Node has opened process.stdout on a pipe: wait for room.
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
          Atomics.wait(pause, 0, 0, FULL_PIPE_WAIT_MS);
          continue;
        }
        this.failed = true;
        throw sinkError('BS_PCAP_WRITE_FAILED', this.path, this.written + done, e);
      }
    }
    this.written += len;
  }

  /** Writes `bytes` at file offset `at` without moving the append position (header rewrites). */
  rewrite(at: number, bytes: Uint8Array): void {
    writeSync(this.fd, bytes, 0, bytes.length, at);
  }

  close(): void {
    this.flush();
    if (this.fd !== 1) closeSync(this.fd);
  }
}

function sinkError(code: ErrorCode, path: string, offset: number, e: unknown): CaptureFileError {
  const errno = (e as NodeJS.ErrnoException).code ?? String(e);
  const why = errno === 'EPIPE' ? 'its reader went away' : `cannot write the capture (${errno})`;
  return new CaptureFileError(code, path === STDOUT_PATH ? 'standard output' : path, offset, why, { cause: e });
}
