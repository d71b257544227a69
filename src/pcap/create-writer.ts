import { PcapWriter, type PcapWriterOptions } from './pcap-writer.js';
import { PcapngWriter, type PcapngWriterOptions } from './pcapng-writer.js';

export type CaptureWriterOptions = PcapWriterOptions & PcapngWriterOptions;

/** A pcapng writer for a `.pcapng` path, a nanosecond pcap writer for anything else. */
export function createCaptureWriter(path: string, opts: CaptureWriterOptions = {}): PcapWriter | PcapngWriter {
  return /\.pcapng$/i.test(path) ? new PcapngWriter(path, opts) : new PcapWriter(path, opts);
}
