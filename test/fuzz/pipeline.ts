import { PassThrough, Readable } from 'node:stream';
import fc from 'fast-check';
import { analyzeSource } from '../../src/analyze/index.js';
import { formatSummary } from '../../src/present/summary-table.js';
import { CaptureFileError } from '../../src/errors.js';
import type { Endpoint, Resolver } from '../../src/model/endpoint.js';
import { openCaptureStream } from '../../src/pcap/open.js';
import type { CaptureFileMeta } from '../../src/pcap/capture-meta.js';
import { printFrames } from '../../src/session/frame-printer.js';
import { escapeJson } from '../../src/present/sanitize.js';

export interface Shape {
  /** Sizes of the pieces the stream delivers, used in turn. */
  pieces: number[];
  chunkBytes: number;
  batchFrames: number;
}

export interface PipelineOutput {
  text: string;
  ndjson: string;
  summary: string;
  summaryJson: string;
  /** The typed file error that ended reading, if one did (the same for every pass). */
  error?: CaptureFileError;
  meta: CaptureFileMeta;
}

function stream(bytes: Uint8Array, pieces: number[]): Readable {
  function* parts(): Generator<Buffer> {
    let at = 0;
    let k = 0;
    while (at < bytes.length) {
      const n = Math.max(1, pieces[k++ % pieces.length]);
      yield Buffer.from(bytes.subarray(at, at + n));
      at += n;
    }
  }
  return Readable.from(parts(), { objectMode: false });
}

/** Anything else escapes: only our typed file errors are an answer to a bad file. */
async function typed<T>(run: () => Promise<T>): Promise<{ value?: T; error?: CaptureFileError }> {
  try {
    return { value: await run() };
  } catch (e) {
    if (e instanceof CaptureFileError) return { error: e };
    throw e;
  }
}

async function collect(run: (out: PassThrough) => Promise<unknown>): Promise<{ text: string; error?: CaptureFileError }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const r = await typed(() => run(out));
  return { text: Buffer.concat(chunks).toString('utf8'), error: r.error };
}

/** The whole file through reader -> decoder -> analyzer -> text, NDJSON and the summary. */
export async function runPipeline(bytes: Uint8Array, shape: Shape, resolver: Resolver): Promise<PipelineOutput> {
  const open = () => openCaptureStream(stream(bytes, shape.pieces), 'fuzz.pcap', { chunkBytes: shape.chunkBytes, batchFrames: shape.batchFrames });
  const text = await collect((out) => printFrames(open(), { out, resolver }));
  const ndjson = await collect((out) => printFrames(open(), { out, resolver, json: true }));
  const source = open();
  const report = await typed(() => analyzeSource(source, { resolver }));
  return {
    text: text.text,
    ndjson: ndjson.text,
    summary: report.value ? formatSummary(report.value) : '',
    // As `summary --json` writes it.
    summaryJson: report.value ? escapeJson(JSON.stringify(report.value)) : '',
    error: text.error ?? ndjson.error ?? report.error,
    meta: source.meta,
  };
}

/** Names every address with `label` (and the same text in every other endpoint field). */
export function hostileResolver(label: string): Resolver {
  const e: Endpoint = { label, kind: 'container', container: label, network: label, bridge: label, hostVeth: label, containerId: label };
  return { byMac: () => e, byIpv4: () => e, byIfIndex: () => e };
}

/** Characters that must never reach a terminal raw: C0 (but the line break), DEL, C1, bidi, line separators. */
// eslint-disable-next-line no-control-regex
export const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Text a hostile container, interface or file name could be: mostly what terminals act on. */
export const hostileText: fc.Arbitrary<string> = fc
  .array(fc.oneof(
    fc.constantFrom('\x1b', '\x1b[2J', '\x1b]52;c;SGk=\x07', '\x07', '\x7f', '\x9b', '\x85', '\x9d', '\u200e', '\u200f',
      '\u202a', '\u202e', '\u2066', '\u2069', '\u2028', '\u2029', '\n', '\r', '\t', '\0'),
    fc.string({ maxLength: 3 }),
    fc.string({ unit: 'binary', maxLength: 2 }),
  ), { maxLength: 8 })
  .map((parts) => parts.join(''));
