import { PcapWriter, type PcapWriterOptions } from './pcap-writer.js';
import { PcapngWriter, type PcapngWriterOptions } from './pcapng-writer.js';
import { STDOUT_PATH } from './file-sink.js';

export type CaptureWriterOptions = PcapWriterOptions & PcapngWriterOptions;

/**
 * A pcapng writer for a `.pcapng` path and for standard output (`-`: names, several interfaces and
 * drop counts travel in the stream), a nanosecond pcap writer for anything else.
 */
export function createCaptureWriter(path: string, opts: CaptureWriterOptions = {}): PcapWriter | PcapngWriter {
  return path === STDOUT_PATH || /\.pcapng$/i.test(path) ? new PcapngWriter(path, opts) : new PcapWriter(path, opts);
}
