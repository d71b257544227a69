import { createWriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { noNames, type Resolver } from '../model/endpoint.js';
import type { CaptureSource } from '../source/frame-batch.js';

/**
 * The file cases of `npm run bench`, each run alone in a fresh process (bench/worker) so its
 * peak RSS is its own. A case loads the modules it uses and nothing else (the worker counts the
 * whole process, so a decode run that also loaded the printers and the UI would pad the baseline
 * every other case is compared with), then returns the run, which the worker times: it returns
 * the frame count.
 */
export type FileCase = (file: string, resolver: Resolver, wrap: SourceWrap) => Promise<number>;
/** What the worker puts around the file's source (a CPU mark, cpu-mark.ts), or nothing. */
export type SourceWrap = (source: CaptureSource) => CaptureSource;
type CaseLoader = () => Promise<FileCase>;

/**
 * Reader + decoder, touching one field per frame so nothing is optimised away. The sum stays a
 * small integer and reads the same field of every frame: a sum that outgrew 31 bits, or a branch
 * first taken at the flood's mid-capture ARP frames, threw the compiled loop (decoder inlined) away
 * and billed the recompile to decode.
 */
const decodeOnly: CaseLoader = async () => {
  const { FrameDecoder } = await import('../decode/index.js');
  const { openCaptureFile } = await import('../pcap/open.js');
  return async (file, _resolver, wrap) => {
    const dec = new FrameDecoder();
    let n = 0;
    let sink = 0;
    for await (const b of wrap(openCaptureFile(file))) {
      for (let i = 0; i < b.count; i++) {
        const f = dec.decodeFrame(b, i);
        sink = (sink + f.etherType) & 0xffff;
        n++;
      }
    }
    return sink < 0 ? -1 : n;
  };
};

/**
 * Copy merge then decode on a multi-interface capture: returns the frames read (copies), so its
 * CPU per frame compares with `decode` on the same file, which decodes every copy.
 */
const mergeThenDecode: CaseLoader = async () => {
  const { mergeCopies } = await import('../copies/copy-merge-source.js');
  const { ipv4CopyLayout } = await import('../decode/copy-layout.js');
  const { FrameDecoder } = await import('../decode/index.js');
  const { openCaptureFile } = await import('../pcap/open.js');
  return async (file, _resolver, wrap) => {
    const dec = new FrameDecoder();
    const source = mergeCopies(wrap(openCaptureFile(file)), ipv4CopyLayout);
    let shown = 0;
    let sink = 0;
    for await (const b of source) {
      for (let i = 0; i < b.count; i++) {
        const f = dec.decodeFrame(b, i);
        sink = (sink + f.etherType) & 0xffff;
        shown++;
      }
    }
    const merged = (source as unknown as { merged: number }).merged;
    return sink < 0 ? -1 : shown + merged;
  };
};

/** Decode plus the annotator's two lookups per frame: the cost of names. */
const decodeWithNames: CaseLoader = async () => {
  const { destinationEndpoint, sourceEndpoint } = await import('../annotate/frame-names.js');
  const { FrameDecoder } = await import('../decode/index.js');
  const { openCaptureFile } = await import('../pcap/open.js');
  return async (file, resolver, wrap) => {
    const dec = new FrameDecoder();
    let n = 0;
    let named = 0;
    for await (const b of wrap(openCaptureFile(file))) {
      for (let i = 0; i < b.count; i++) {
        const f = dec.decodeFrame(b, i);
        if (sourceEndpoint(f, resolver, b.tsSec[i]) && destinationEndpoint(f, resolver, b.tsSec[i])) named++;
        n++;
      }
    }
    if (resolver !== noNames && named === 0) throw new Error('names case resolved no frame: the bench topology is wrong');
    return n;
  };
};

/** Slots of echo-floor's request table: the low 17 bits of identifier and sequence pick one. */
const FLOOR_SLOTS = 1 << 17;

/**
 * Decode plus the least any echo pairing does: a request stored by its identifier and sequence,
 * a reply matched against it (sender and key), its RTT summed. No duplicates, timeouts, late
 * replies, pair table or findings: not an analysis, but the floor one would cost, measured beside
 * ours (cost-split.ts).
 */
const echoFloor: CaseLoader = async () => {
  const { FrameDecoder, IcmpType } = await import('../decode/index.js');
  const { openCaptureFile } = await import('../pcap/open.js');
  return async (file, _resolver, wrap) => {
    const dec = new FrameDecoder();
    const keys = new Uint32Array(FLOOR_SLOTS);
    const askers = new Uint32Array(FLOOR_SLOTS);
    const sentNs = new Float64Array(FLOOR_SLOTS);
    let base = Number.NaN;
    let rttNs = 0;
    let requests = 0;
    let matched = 0;
    let n = 0;
    for await (const b of wrap(openCaptureFile(file))) {
      if (b.count > 0 && Number.isNaN(base)) base = b.tsSec[0];
      for (let i = 0; i < b.count; i++) {
        const f = dec.decodeFrame(b, i);
        n++;
        const icmp = f.icmp;
        const ip = f.ipv4;
        if (icmp === null || ip === null || !icmp.hasIdSeq) continue;
        const key = icmp.idSeq;
        const slot = key & (FLOOR_SLOTS - 1);
        const t = (b.tsSec[i] - base) * 1e9 + b.tsNsec[i];
        if (icmp.type === IcmpType.ECHO_REQUEST) {
          requests++;
          keys[slot] = key;
          askers[slot] = ip.srcNum;
          sentNs[slot] = t;
        } else if (icmp.type === IcmpType.ECHO_REPLY && keys[slot] === key && askers[slot] === ip.dstNum) {
          rttNs += t - sentNs[slot];
          matched++;
        }
      }
    }
    if (requests > 0 && matched === 0) throw new Error('echo-floor matched no reply: the pairing is broken or the file has no answered ping');
    return Number.isNaN(rttNs) ? -1 : n;
  };
};

/** Decode plus the plainest echo pairing that still decides what the analyzer decides for a flood (lean-echo.ts). */
const echoLean: CaseLoader = async () => {
  const { FrameDecoder } = await import('../decode/index.js');
  const { LeanEchoPairing } = await import('./lean-echo.js');
  const { openCaptureFile } = await import('../pcap/open.js');
  return async (file, _resolver, wrap) => {
    const dec = new FrameDecoder();
    const pairing = new LeanEchoPairing();
    let n = 0;
    for await (const b of wrap(openCaptureFile(file))) {
      for (let i = 0; i < b.count; i++) {
        pairing.observe(dec.decodeFrame(b, i), b.tsSec[i], b.tsNsec[i]);
        n++;
      }
    }
    const { requests, answered } = pairing.counts;
    if (requests > 0 && answered === 0) throw new Error('echo-lean matched no reply: the pairing is broken or the file has no answered ping');
    return n;
  };
};

function printerCase(json: boolean): CaseLoader {
  return async () => {
    const { printFrames } = await import('../session/frame-printer.js');
    const { openCaptureFile } = await import('../pcap/open.js');
    return async (file, resolver, wrap) => {
      const out = createWriteStream('/dev/null');
      const r = await printFrames(wrap(openCaptureFile(file)), { out, resolver, json });
      await new Promise((resolve) => out.end(resolve));
      return r.frames;
    };
  };
}

const analysis: CaseLoader = async () => {
  const { analyzeSource } = await import('../analyze/analyze-source.js');
  const { openCaptureFile } = await import('../pcap/open.js');
  return async (file, resolver, wrap) => (await analyzeSource(wrap(openCaptureFile(file)), { resolver })).frames;
};

const tuiStore: CaseLoader = async () => {
  const { benchStore } = await import('../tui/bench.js');
  const { openCaptureFile } = await import('../pcap/open.js');
  return async (file, resolver, wrap) => (await benchStore(wrap(openCaptureFile(file)), { resolver })).frames;
};

/** pcap-parser 0.2.1, the user's named package, iterating every record (its own object per packet). */
const pcapParser: CaseLoader = async () => {
  const require = createRequire(import.meta.url);
  const pcapp = require('pcap-parser') as { parse(path: string): NodeJS.EventEmitter };
  return (file) =>
    new Promise((resolve, reject) => {
      let n = 0;
      const parser = pcapp.parse(file);
      parser.on('packet', () => n++);
      parser.on('end', () => resolve(n));
      parser.on('error', reject);
    });
};

export const FILE_CASES: Record<string, CaseLoader> = {
  decode: decodeOnly,
  'merge-decode': mergeThenDecode,
  names: decodeWithNames,
  text: printerCase(false),
  json: printerCase(true),
  analysis,
  'echo-floor': echoFloor,
  'echo-lean': echoLean,
  'tui-store': tuiStore,
  'pcap-parser': pcapParser,
};
