import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { CaptureFileError, type ErrorCode } from '../errors.js';
import { FileInput, StreamInput, type ByteInput } from './byte-input.js';
import { CaptureFileSource, type CaptureFileOptions } from './capture-file-source.js';

/**
 * Opens a pcap or pcapng capture (`-` is standard input). Nothing is touched until the source is
 * iterated: a missing, unreadable or non-capture file is a CaptureFileError thrown from the first
 * `next()`, like any damage later in the file.
 */
export function openCaptureFile(path: string, opts?: CaptureFileOptions): CaptureFileSource {
  if (path === '-') return openCaptureStream(process.stdin, '-', opts);
  return new CaptureFileSource(path, openFileInput, opts);
}

/** A capture arriving on any Readable (a pipe, a socket), read with the stream's own backpressure. */
export function openCaptureStream(stream: Readable, label: string, opts?: CaptureFileOptions): CaptureFileSource {
  return new CaptureFileSource(label, async () => new StreamInput(stream), opts);
}

const OPEN_ERRORS: Record<string, [code: ErrorCode, detail: string]> = {
  ENOENT: ['BS_PCAP_NO_SUCH_FILE', 'no such file'],
  EACCES: ['BS_PCAP_PERMISSION_DENIED', 'permission denied (check the file mode, or read it as its owner)'],
  EPERM: ['BS_PCAP_PERMISSION_DENIED', 'permission denied (check the file mode, or read it as its owner)'],
  EISDIR: ['BS_PCAP_IS_DIRECTORY', 'is a directory, not a capture file'],
  ENOTDIR: ['BS_PCAP_NO_SUCH_FILE', 'no such file (a parent is not a directory)'],
};

async function openFileInput(file: string): Promise<ByteInput> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (e) {
    throw openError(file, e);
  }
  const stat = await handle.stat();
  if (stat.isDirectory()) {
    await handle.close();
    throw openError(file, Object.assign(new Error('directory'), { code: 'EISDIR' }));
  }
  return new FileInput(handle);
}

function openError(file: string, e: unknown): unknown {
  const errno = (e as NodeJS.ErrnoException).code ?? '';
  const known = OPEN_ERRORS[errno];
  if (known) return new CaptureFileError(known[0], file, 0, known[1], { cause: e });
  if (errno) return new CaptureFileError('BS_PCAP_READ_ERROR', file, 0, `cannot open (${errno})`, { cause: e });
  return e;
}
