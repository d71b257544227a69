import { CaptureFileError } from '../../src/errors.js';
import type { CaptureFileSource } from '../../src/pcap/capture-file-source.js';
import { frameBytes } from '../../src/source/frame-batch.js';

export interface ReadFrame {
  tsNs: bigint;
  tsSec: number;
  tsNsec: number;
  len: number;
  capLen: number;
  ifIndex: number;
  bytes: Uint8Array;
}

export interface ReadResult {
  frames: ReadFrame[];
  error: CaptureFileError | null;
  batches: number;
}

/** Drains a source, keeping copies of every frame and the CaptureFileError that ended it, if any. */
export async function readAll(source: CaptureFileSource): Promise<ReadResult> {
  const frames: ReadFrame[] = [];
  let batches = 0;
  try {
    for await (const b of source) {
      batches++;
      for (let i = 0; i < b.count; i++) {
        frames.push({
          tsNs: BigInt(b.tsSec[i]) * 1_000_000_000n + BigInt(b.tsNsec[i]),
          tsSec: b.tsSec[i],
          tsNsec: b.tsNsec[i],
          len: b.origLen[i],
          capLen: b.capLen[i],
          ifIndex: b.ifIndex[i],
          bytes: frameBytes(b, i).slice(),
        });
      }
    }
  } catch (e) {
    if (!(e instanceof CaptureFileError)) throw e;
    return { frames, error: e, batches };
  }
  return { frames, error: null, batches };
}
