import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { CaptureSource, OwnedFrame } from '../../src/source/frame-batch.js';
import { copyFrame, frameBytes, type FrameBatch } from '../../src/source/frame-batch.js';
import { openCaptureFile } from '../../src/pcap/open.js';

export const LAB_SPEC = { nsPrefix: 'bstest-cap-', ifPrefix: 'bsc-', subnet: '10.203.0' };

/** Drains a source in the background, keeping a copy of every frame. */
export function collect(src: CaptureSource): { frames: OwnedFrame[]; done: Promise<void> } {
  const frames: OwnedFrame[] = [];
  const done = (async () => {
    for await (const b of src) for (let i = 0; i < b.count; i++) frames.push(copyFrame(b, i));
  })();
  return { frames, done };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a frame is, read from its bytes (Ethernet): enough to check order without the decoder. */
export function kind(bytes: Uint8Array): string {
  const etherType = (bytes[12] << 8) | bytes[13];
  if (etherType === 0x0806) return bytes[21] === 1 ? 'arp-request' : bytes[21] === 2 ? 'arp-reply' : 'arp';
  if (etherType === 0x0800 && bytes[23] === 1) {
    const type = bytes[14 + (bytes[14] & 0x0f) * 4];
    return type === 8 ? 'echo-request' : type === 0 ? 'echo-reply' : `icmp-${type}`;
  }
  return `ether-${etherType.toString(16)}`;
}

export function tsNs(f: OwnedFrame): bigint {
  return BigInt(f.tsSec) * 1_000_000_000n + BigInt(f.tsNsec);
}

/**
 * tcpdump writing nanosecond pcap; resolves once it is listening. Immediate mode, or frames still
 * in the kernel block at SIGINT are lost; `-Z root` keeps it writing into our root-only temp dir.
 */
export async function startTcpdump(ifname: string, file: string): Promise<() => Promise<void>> {
  const args = ['-i', ifname, '-Z', 'root', '--immediate-mode', '-U', '-n', '-w', file, '--time-stamp-precision=nano'];
  const child = spawn('tcpdump', args, {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  await new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('listening on')) resolve();
    });
    child.on('exit', () => reject(new Error(`tcpdump exited: ${err}`)));
  });
  return async () => {
    child.kill('SIGINT');
    if (child.exitCode === null) await once(child, 'exit');
  };
}

/** Timestamps (ns since epoch) of the frames in a pcap file, as tcpdump reads them. */
/** Each frame tcpdump wrote: its bytes (as hex, to match frames by content) and its time in ns. */
export async function tcpdumpFrames(file: string): Promise<{ key: string; tsNs: bigint }[]> {
  const out: { key: string; tsNs: bigint }[] = [];
  for await (const b of openCaptureFile(file)) {
    for (let i = 0; i < b.count; i++) out.push({ key: frameKey(frameBytes(b, i)), tsNs: frameTimeNs(b, i) });
  }
  return out;
}

export function frameKey(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Timestamp of frame i as integer nanoseconds since the epoch. */
function frameTimeNs(b: FrameBatch, i: number): bigint {
  return BigInt(b.tsSec[i]) * 1_000_000_000n + BigInt(b.tsNsec[i]);
}
