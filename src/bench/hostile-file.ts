import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * The memory case for hostile input: a pcapng whose every frame carries a packet comment and is an
 * echo request nobody answers, so every frame leaves a comment and (after the timeout) a finding
 * behind. Memory must stay at the reader's bound, not grow with
 * either (META_CAPS; findings streamed). Written block by block, never held whole.
 */
const COMMENT_BYTES = 200;
const FRAME_BYTES = 42;
const BLOCK_BYTES = 12 + 20 + 44 + 4 + COMMENT_BYTES + 4 + 4;

function header(): Uint8Array {
  const b = new Uint8Array(28 + 20);
  const v = new DataView(b.buffer);
  v.setUint32(0, 0x0a0d0d0a, true);
  v.setUint32(4, 28, true);
  v.setUint32(8, 0x1a2b3c4d, true);
  v.setUint16(12, 1, true);
  v.setBigInt64(16, -1n, true);
  v.setUint32(24, 28, true);
  v.setUint32(28, 1, true);
  v.setUint32(32, 20, true);
  v.setUint16(36, 1, true);
  v.setUint32(40, 262144, true);
  v.setUint32(44, 20, true);
  return b;
}

function packet(out: DataView, at: number, i: number): void {
  const bytes = new Uint8Array(out.buffer, out.byteOffset + at, BLOCK_BYTES);
  bytes.fill(0);
  out.setUint32(at, 6, true);
  out.setUint32(at + 4, BLOCK_BYTES, true);
  const micros = BigInt(1_700_000_000 + i) * 1_000_000n;
  out.setUint32(at + 12, Number(micros >> 32n), true);
  out.setUint32(at + 16, Number(micros & 0xffffffffn), true);
  out.setUint32(at + 20, FRAME_BYTES, true);
  out.setUint32(at + 24, FRAME_BYTES, true);
  const f = at + 28;
  // 02:42:0a:00:00:01 10.0.0.1 -> 02:42:0a:00:00:02 10.0.0.2, echo request id i >> 16, seq i & 0xffff.
  bytes.set([2, 0x42, 10, 0, 0, 2, 2, 0x42, 10, 0, 0, 1, 8, 0, 0x45, 0, 0, 28, 0, 0, 0, 0, 64, 1, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 8, 0], 28);
  out.setUint16(f + 38, i >>> 16, false);
  out.setUint16(f + 40, i & 0xffff, false);
  const opt = at + 28 + 44;
  out.setUint16(opt, 1, true);
  out.setUint16(opt + 2, COMMENT_BYTES, true);
  bytes.fill(0x63, opt + 4 - at, opt + 4 - at + COMMENT_BYTES);
  out.setUint32(at + BLOCK_BYTES - 4, BLOCK_BYTES, true);
}

/** Writes `frames` such frames to `path`; returns the file's size in bytes. */
export function writeHostileFile(path: string, frames: number): number {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, header());
    const per = 4096;
    const chunk = new Uint8Array(per * BLOCK_BYTES);
    const v = new DataView(chunk.buffer);
    for (let i = 0; i < frames; i += per) {
      const n = Math.min(per, frames - i);
      for (let k = 0; k < n; k++) packet(v, k * BLOCK_BYTES, i + k);
      writeSync(fd, chunk, 0, n * BLOCK_BYTES);
    }
  } finally {
    closeSync(fd);
  }
  return 48 + frames * BLOCK_BYTES;
}
