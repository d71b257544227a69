import type { Writable } from 'node:stream';
import { Analyzer } from '../analyze/analyzer.js';
import type { Finding } from '../analyze/findings.js';
import { sanitize } from '../sanitize.js';
import type { Resolver } from '../model/endpoint.js';
import { mergeCopies } from '../copies/copy-merge-source.js';
import { copyLayoutFor } from '../decode/copy-layout.js';
import { ArpOp, FrameDecoder, Icmp6Type, IcmpType, type DecodedFrame } from '../decode/index.js';
import type { CaptureSource } from '../source/frame-batch.js';
import { writeNdjsonFrame } from '../present/ndjson.js';
import { ByteText } from '../present/byte-text.js';
import { TextFormatter, whereSeen, writeRtt } from '../present/text-line.js';

export interface PrintOptions {
  out: Writable;
  resolver: Resolver;
  json?: boolean;
  /** Stop after this many frames. */
  count?: number;
  /** Pace output by frame timestamps; 1 is real time, 2 twice as fast. Undefined: as fast as possible. */
  speed?: number;
  nano?: boolean;
  date?: boolean;
  /**
   * Pair requests with replies as frames go by (default true): replies get their RTT, and what
   * analysis finds (unanswered, duplicate IP, ...) is printed as `! ...` lines in the text output.
   */
  analysis?: boolean;
  /** Print each copy of a frame seen on several interfaces as captured, instead of one frame with its hops. */
  allCopies?: boolean;
  /** UDP ports opened as VXLAN (default 4789; Docker's `--data-path-port` moves it). */
  vxlanPorts?: readonly number[];
}

export interface PrintResult {
  frames: number;
  /** The reader stopped early because output closed (EPIPE, `| head`). */
  outputClosed: boolean;
}

/**
 * Drives a source through decode and the line or NDJSON presenter. Output is written once per
 * batch and waits for 'drain', so a slow terminal slows the reader instead of filling memory.
 * Lines of frames read before a file error are written before the error propagates.
 */
export async function printFrames(captured: CaptureSource, opts: PrintOptions): Promise<PrintResult> {
  const source = mergeCopies(captured, copyLayoutFor(opts.vxlanPorts), { allCopies: opts.allCopies });
  const decoder = new FrameDecoder({ vxlanPorts: opts.vxlanPorts });
  const text = new TextFormatter({ resolver: opts.resolver, nano: opts.nano, date: opts.date });
  const limit = opts.count ?? Infinity;
  const out = opts.out;
  let closed = false;
  let outputError: Error | undefined;
  // EPIPE (`| head`) ends printing quietly; any other output error is reported after the loop.
  const onError = (err: NodeJS.ErrnoException) => {
    closed = true;
    if (err.code !== 'EPIPE') outputError = err;
  };
  out.on('error', onError);
  const pace = opts.speed ? new Pacer(opts.speed) : undefined;
  // Findings are text lines, drained after each frame; NDJSON has no place for them, so they are
  // not collected at all there (collecting them grew memory with the file: 2.4 GB for 200 MB).
  const findings: Finding[] = [];
  const onFinding = opts.json ? undefined : (x: Finding) => findings.push(x);
  const analyzer = opts.analysis === false ? undefined : new Analyzer({ resolver: opts.resolver, onFinding });
  let n = 0;
  try {
    for await (const b of source) {
      const chunk = new ByteText();
      // The batch's text in buffers of a size malloc hands out again (ByteText.full), written together.
      const pieces: Buffer[] = [];
      for (let i = 0; i < b.count && n < limit && !closed; i++) {
        const f = decoder.decodeFrame(b, i);
        if (pace) {
          const wait = pace.delayMs(b.tsSec[i], b.tsNsec[i]);
          if (wait > 0) {
            pieces.push(chunk.take());
            await write(out, pieces);
            await sleep(wait);
          }
        }
        n++;
        analyzer?.observe(f, n, b.tsSec[i], b.tsNsec[i]);
        const rttNs = analyzer && isReply(f) ? analyzer.replyRttNs(n) : -1;
        if (opts.json) writeNdjsonFrame(chunk, b, i, f, n, opts.resolver, rttNs);
        else {
          text.writeLine(chunk, f, b.tsSec[i], b.tsNsec[i], b.interfaces[b.ifIndex[i]]?.name);
          if (rttNs >= 0) writeRtt(chunk, rttNs);
          const where = whereSeen(b, i);
          if (where) chunk.text(where);
          chunk.ascii('\n');
          if (findings.length) chunk.text(findingLines(findings));
        }
        if (chunk.full) pieces.push(chunk.take());
      }
      pieces.push(chunk.take());
      if (!(await write(out, pieces))) closed = true;
      if (n >= limit || closed) break;
    }
  } finally {
    out.off('error', onError);
    if (n >= limit || closed) await source.close();
  }
  if (analyzer && !opts.json && !closed) {
    analyzer.finish();
    await write(out, [findingLines(findings)]);
  }
  if (outputError) throw outputError;
  return { frames: n, outputClosed: closed };
}

/** Replies are where a transaction gets its RTT: looked up only for them, not per frame. */
function isReply(f: DecodedFrame): boolean {
  const t6 = f.icmp6?.type;
  return (
    (f.arp !== null && f.arp.operation === ArpOp.REPLY) ||
    (f.icmp !== null && f.icmp.type === IcmpType.ECHO_REPLY) ||
    t6 === Icmp6Type.ECHO_REPLY ||
    t6 === Icmp6Type.NEIGHBOR_ADVERTISEMENT
  );
}

/** Findings raised since the last call, one `! ...` line each (the list is emptied). */
function findingLines(findings: Finding[]): string {
  if (findings.length === 0) return '';
  const lines = findings.map((x) => `  ! ${sanitize(x.text)}\n`).join('');
  findings.length = 0;
  return lines;
}

/** Maps frame time to wall time: frame t is due at wallStart + (t - firstFrame) / speed. */
class Pacer {
  private firstFrameMs = Number.NaN;
  private wallStartMs = 0;

  constructor(private readonly speed: number) {}

  delayMs(tsSec: number, tsNsec: number): number {
    const t = tsSec * 1000 + tsNsec / 1e6;
    if (Number.isNaN(this.firstFrameMs)) {
      this.firstFrameMs = t;
      this.wallStartMs = performance.now();
      return 0;
    }
    return this.wallStartMs + (t - this.firstFrameMs) / this.speed - performance.now();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Writes the chunks and empties the list. Resolves false when the stream is gone (EPIPE), true
 * once the data is accepted. Corked, so a stream that writes vectors (a file, a pipe) takes the
 * chunks in one call.
 */
function write(out: Writable, chunks: (string | Buffer)[]): Promise<boolean> {
  const some = chunks.filter((c) => c.length > 0);
  chunks.length = 0;
  if (some.length === 0) return Promise.resolve(!out.destroyed);
  if (out.destroyed || out.writableEnded) return Promise.resolve(false);
  return new Promise((resolve) => {
    let ok = true;
    out.cork();
    for (const c of some) {
      ok = out.write(c, (err) => {
        if (err) resolve(false);
      });
    }
    out.uncork();
    if (ok) resolve(true);
    else {
      const done = () => {
        out.off('drain', done);
        out.off('close', gone);
        resolve(true);
      };
      const gone = () => {
        out.off('drain', done);
        out.off('close', gone);
        resolve(false);
      };
      out.on('drain', done);
      out.on('close', gone);
    }
  });
}
