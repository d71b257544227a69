import type { Resolver } from '../model/endpoint.js';
import { FrameDecoder, type DecodedFrame } from '../decode/index.js';
import { TextFormatter } from '../present/text-line.js';

/** Bytes kept per remembered frame: Ethernet + tags + IPv4 + ICMP + a quoted header fit. */
const KEEP_BYTES = 128;

export interface FrameLine {
  frame: number;
  text: string;
}

/**
 * The last `size` frames, copied into fixed slots (no allocation per frame), formatted as text
 * lines only when a report needs them. Frames are cut to KEEP_BYTES, enough for their summary.
 */
export class FrameMemory {
  private readonly data: Uint8Array;
  private readonly len: Uint32Array;
  private readonly origLen: Uint32Array;
  private readonly linkType: Uint16Array;
  private readonly frameNo: Float64Array;
  private readonly sec: Float64Array;
  private readonly nsec: Uint32Array;
  private written = 0;

  constructor(private readonly size: number) {
    this.data = new Uint8Array(size * KEEP_BYTES);
    this.len = new Uint32Array(size);
    this.origLen = new Uint32Array(size);
    this.linkType = new Uint16Array(size);
    this.frameNo = new Float64Array(size);
    this.sec = new Float64Array(size);
    this.nsec = new Uint32Array(size);
  }

  get full(): boolean {
    return this.written >= this.size;
  }

  clear(): void {
    this.written = 0;
  }

  add(f: DecodedFrame, frameNo: number, sec: number, nsec: number): void {
    const slot = this.written++ % this.size;
    const n = Math.min(f.capLen, KEEP_BYTES);
    const base = slot * KEEP_BYTES;
    this.data.set(f.bytes.subarray(f.start, f.start + n), base);
    this.len[slot] = n;
    this.origLen[slot] = f.origLen;
    this.linkType[slot] = f.linkType;
    this.frameNo[slot] = frameNo;
    this.sec[slot] = sec;
    this.nsec[slot] = nsec;
  }

  /** Oldest first. */
  lines(resolver: Resolver): FrameLine[] {
    const dec = new FrameDecoder();
    const fmt = new TextFormatter({ resolver });
    const out: FrameLine[] = [];
    const count = Math.min(this.written, this.size);
    for (let k = this.written - count; k < this.written; k++) {
      const slot = k % this.size;
      const base = slot * KEEP_BYTES;
      const f = dec.decode(this.data.subarray(base, base + this.len[slot]), this.linkType[slot], this.origLen[slot]);
      out.push({ frame: this.frameNo[slot], text: fmt.line(f, this.sec[slot], this.nsec[slot]) });
    }
    return out;
  }
}
