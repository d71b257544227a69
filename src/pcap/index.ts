export { openCaptureFile, openCaptureStream } from './open.js';
export { CaptureFileSource, type CaptureFileOptions } from './capture-file-source.js';
export type { CaptureFileMeta, CustomBlock, InterfaceStatistics, NameRecord } from './capture-meta.js';
export { MAX_FRAME_BYTES } from './record-parser.js';
