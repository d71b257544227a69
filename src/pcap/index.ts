export { openCaptureFile, openCaptureStream } from './open.js';
export { CaptureFileSource, type CaptureFileOptions } from './capture-file-source.js';
export type { CaptureFileMeta, CustomBlock, InterfaceStatistics, NameRecord } from './capture-meta.js';
export { MAX_FRAME_BYTES } from './record-parser.js';
export { createCaptureWriter, type CaptureWriterOptions } from './create-writer.js';
export type { CaptureWriter } from './capture-writer.js';
export { PcapWriter, type PcapWriterOptions } from './pcap-writer.js';
export { PcapngWriter, type PcapngWriterOptions } from './pcapng-writer.js';
