import { createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { analyzeSource } from '../analyze/analyze-source.js';
import { noNames, type Resolver } from '../model/endpoint.js';
import { destinationEndpoint, sourceEndpoint } from '../annotate/frame-names.js';
import { mergeCopies } from '../copies/copy-merge-source.js';
import { ipv4CopyLayout } from '../decode/copy-layout.js';
import { FrameDecoder } from '../decode/index.js';
import { openCaptureFile } from '../pcap/open.js';
import { printFrames } from '../session/frame-printer.js';
import { benchStore } from '../tui/bench.js';

/**
 * The file cases of `npm run bench`, each run alone in a fresh process (bench/worker) so its
 * peak RSS is its own. Each returns the frame count; the worker times it.
 */
export type FileCase = (file: string, resolver: Resolver) => Promise<number>;

/** Reader + decoder, touching one field per frame so nothing is optimised away. */
async function decodeOnly(file: string): Promise<number> {
  const dec = new FrameDecoder();
  let n = 0;
  let sink = 0;
  for await (const b of openCaptureFile(file)) {
    for (let i = 0; i < b.count; i++) {
      const f = dec.decodeFrame(b, i);
      sink += f.icmp ? f.icmp.sequence : f.etherType;
      n++;
    }
  }
  return sink === -1 ? -1 : n;
}

/**
 * Copy merge then decode on a multi-interface capture: returns the frames read (copies), so its
 * CPU per frame compares with `decode` on the same file, which decodes every copy.
 */
async function mergeThenDecode(file: string): Promise<number> {
  const dec = new FrameDecoder();
  const source = mergeCopies(openCaptureFile(file), ipv4CopyLayout);
  let shown = 0;
  let sink = 0;
  for await (const b of source) {
    for (let i = 0; i < b.count; i++) {
      const f = dec.decodeFrame(b, i);
      sink += f.icmp ? f.icmp.sequence : f.etherType;
      shown++;
    }
  }
  const merged = (source as unknown as { merged: number }).merged;
  return sink === -1 ? -1 : shown + merged;
}

/** Decode plus the annotator's two lookups per frame: the cost of names. */
async function decodeWithNames(file: string, resolver: Resolver): Promise<number> {
  const dec = new FrameDecoder();
  let n = 0;
  let named = 0;
  for await (const b of openCaptureFile(file)) {
    for (let i = 0; i < b.count; i++) {
      const f = dec.decodeFrame(b, i);
      if (sourceEndpoint(f, resolver, b.tsSec[i]) && destinationEndpoint(f, resolver, b.tsSec[i])) named++;
      n++;
    }
  }
  if (resolver !== noNames && named === 0) throw new Error('names case resolved no frame: the bench topology is wrong');
  return n;
}

async function textToDevNull(file: string, resolver: Resolver): Promise<number> {
  const out = createWriteStream('/dev/null');
  const r = await printFrames(openCaptureFile(file), { out, resolver });
  await new Promise((resolve) => out.end(resolve));
  return r.frames;
}

async function jsonToDevNull(file: string, resolver: Resolver): Promise<number> {
  const out = createWriteStream('/dev/null');
  const r = await printFrames(openCaptureFile(file), { out, resolver, json: true });
  await new Promise((resolve) => out.end(resolve));
  return r.frames;
}

async function analysis(file: string, resolver: Resolver): Promise<number> {
  const report = await analyzeSource(openCaptureFile(file), { resolver });
  return report.frames;
}

async function tuiStore(file: string, resolver: Resolver): Promise<number> {
  return (await benchStore(openCaptureFile(file), { resolver })).frames;
}

/** pcap-parser 0.2.1, the user's named package, iterating every record (its own object per packet). */
function pcapParser(file: string): Promise<number> {
  const require = createRequire(import.meta.url);
  const pcapp = require('pcap-parser') as { parse(path: string): NodeJS.EventEmitter };
  return new Promise((resolve, reject) => {
    let n = 0;
    const parser = pcapp.parse(file);
    parser.on('packet', () => n++);
    parser.on('end', () => resolve(n));
    parser.on('error', reject);
  });
}

export const FILE_CASES: Record<string, FileCase> = {
  decode: decodeOnly,
  'merge-decode': mergeThenDecode,
  names: decodeWithNames,
  text: textToDevNull,
  json: jsonToDevNull,
  analysis,
  'tui-store': tuiStore,
  'pcap-parser': pcapParser,
};
