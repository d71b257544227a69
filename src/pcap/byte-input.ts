import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';

/**
 * Where a capture reader pulls its bytes from. `read` fills `into[offset..offset+length)` with as
 * many bytes as are available (at least 1 unless the input has ended) and returns the count; 0
 * means end of input. Nothing is read ahead of a call, which is what gives the reader backpressure.
 */
export interface ByteInput {
  read(into: Uint8Array, offset: number, length: number): Promise<number>;
  close(): Promise<void>;
}

export class FileInput implements ByteInput {
  private position = 0;

  constructor(private readonly handle: FileHandle) {}

  async read(into: Uint8Array, offset: number, length: number): Promise<number> {
    const { bytesRead } = await this.handle.read(into, offset, length, this.position);
    this.position += bytesRead;
    return bytesRead;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/**
 * A Readable (standard input, a pipe) consumed one chunk at a time through its async iterator, so
 * the stream pauses while the consumer of the capture is busy. A chunk larger than the caller's
 * room is kept and handed out over several reads.
 */
export class StreamInput implements ByteInput {
  private readonly chunks: AsyncIterator<Buffer>;
  private pending: Uint8Array | null = null;

  constructor(private readonly stream: Readable) {
    this.chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  }

  async read(into: Uint8Array, offset: number, length: number): Promise<number> {
    if (!this.pending) {
      const next = await this.chunks.next();
      if (next.done) return 0;
      this.pending = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    }
    const chunk = this.pending;
    const n = Math.min(length, chunk.length);
    into.set(chunk.subarray(0, n), offset);
    this.pending = n < chunk.length ? chunk.subarray(n) : null;
    return n;
  }

  async close(): Promise<void> {
    // Leave process.stdin open for the rest of the process; end any other stream we were given.
    if (this.stream !== process.stdin) this.stream.destroy();
    await this.chunks.return?.();
  }
}
