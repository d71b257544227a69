import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { expect } from 'vitest';
import { FrameDecoder } from '../../src/decode/index.js';
import { CaptureFileError } from '../../src/errors.js';
import type { Endpoint, Resolver } from '../../src/model/endpoint.js';
import { openCaptureFile } from '../../src/pcap/open.js';
import { frameRecord } from '../../src/present/ndjson.js';
import { printFrames, type PrintOptions } from '../../src/session/frame-printer.js';
import { replayNames } from '../../src/session/replay-names.js';
import { corpusDir, describeCorpus, itCorpus } from '../support/corpus.js';

/**
 * `replay --json` is a stable interface (README, "NDJSON fields"): its bytes on every corpus file,
 * every shipped capture and fixture, named as a replay names them and again with endpoints that
 * fill every field with hostile text, are held to test/fixtures/ndjson-golden.json.gz. That file
 * was written by the build before NDJSON was serialised without an object per frame (the object
 * path, 65db01b): the reference is that output, not the code under test. Regenerate it
 * (BRIDGESCOPE_WRITE_NDJSON_GOLDEN=1 npx vitest run test/present/ndjson-golden.test.ts) only when
 * the schema gains a field on purpose, and read the diff.
 */
const GOLDEN = fileURLToPath(new URL('../fixtures/ndjson-golden.json.gz', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const write = process.env.BRIDGESCOPE_WRITE_NDJSON_GOLDEN === '1';

interface Case {
  name: string;
  file: string;
  /** Names as `replay` finds them (sidecar, embedded snapshot), or the rich resolver. */
  names: 'replay' | 'rich';
  options?: Partial<PrintOptions>;
}

function captureFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => /\.(pcap|pcapng|cap)$/.test(f)).sort().map((f) => join(dir, f));
}

function cases(): Case[] {
  const files = [...captureFiles(corpusDir), ...captureFiles(join(root, 'captures')), ...captureFiles(join(root, 'test/fixtures'))];
  const rel = (f: string) => (f.startsWith(corpusDir) ? `corpus/${f.slice(corpusDir.length + 1)}` : f.slice(root.length));
  return files.flatMap((file) => [
    { name: `${rel(file)} names`, file, names: 'replay' as const },
    { name: `${rel(file)} rich`, file, names: 'rich' as const },
    { name: `${rel(file)} rich all-copies no-analysis`, file, names: 'rich' as const, options: { allCopies: true, analysis: false } },
  ]);
}

/**
 * Every endpoint field set, in text JSON.stringify escapes (quote, backslash, C0) and text only the
 * line escaper catches (DEL, C1, bidi, U+2028), a lone surrogate and a character outside the BMP;
 * one address in four unnamed, and one endpoint with only a label, so omitted fields are covered.
 */
function richResolver(): Resolver {
  const odd = 'q"b\\s\u0007\u001b[2J\u007f\u009b\u202e\u2028\ud800x\u{1f433}';
  const full = (k: number): Endpoint => ({
    label: `${odd} ${k} (+side)`, kind: 'container', container: `c${k}${odd}`, containerId: `${k}`.repeat(64),
    sharedWith: [{ id: 'a'.repeat(64), name: `side${odd}` }, { id: 'b'.repeat(64), name: 'side2' }],
    compose: { project: `p${odd}`, service: `s${k}` }, aliases: ['alias'], network: `n${odd}`, bridge: `br-${k}`,
    hostVeth: `veth${odd}`, mac: '02:42:00:00:00:01', ipv4: '10.0.0.1', host: `h${odd}`,
  });
  const endpoints: (Endpoint | undefined)[] = [full(1), { label: `only-label${odd}`, kind: 'gateway' }, { ...full(2), sharedWith: [], host: undefined }, undefined];
  const pick = (x: number) => endpoints[Math.abs(Math.floor(x)) % endpoints.length];
  return {
    byMac: (mac) => pick(mac),
    byIpv4: (ip) => pick(ip >>> 8),
    byIfIndex: (i) => pick(i),
    byIpv6: (bytes, offset) => pick(bytes[offset + 15]),
  };
}

/** The NDJSON of one case as written, then the error that ended the file, if one did. */
async function render(c: Case): Promise<string> {
  const names = c.names === 'replay'
    ? await replayNames(c.file, { names: true }, { onWarning: () => undefined })
    : { source: openCaptureFile(c.file), resolver: richResolver(), close: async () => undefined };
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (d: Buffer) => chunks.push(d));
  let error = '';
  try {
    await printFrames(names.source, { out, resolver: names.resolver, json: true, ...c.options });
  } catch (e) {
    error = `error ${(e as { code?: string }).code ?? ''}: ${(e as Error).message.replace(root, '').replace(corpusDir, 'corpus')}\n`;
  } finally {
    await names.close();
  }
  return Buffer.concat(chunks).toString('utf8') + error;
}

function firstDifference(got: string, want: string): string {
  const g = got.split('\n');
  const w = want.split('\n');
  const i = g.findIndex((line, k) => line !== w[k]);
  const at = i < 0 ? Math.min(g.length, w.length) : i;
  return `line ${at + 1}:\n got  ${g[at]}\n want ${w[at]}`;
}

describeCorpus('replay --json holds the NDJSON bytes of the object path', () => {
  itCorpus('every corpus file, capture and fixture, with replay names and rich names', async () => {
    const all = cases();
    expect(all.length).toBeGreaterThan(150);
    const got: Record<string, string> = {};
    for (const c of all) got[c.name] = await render(c);
    if (write) writeFileSync(GOLDEN, gzipSync(JSON.stringify(got, null, 0)));
    const want = JSON.parse(gunzipSync(readFileSync(GOLDEN)).toString('utf8')) as Record<string, string>;
    expect(Object.keys(got)).toEqual(Object.keys(want));
    let lines = 0;
    for (const c of all) {
      const g = got[c.name];
      if (g !== want[c.name]) expect.fail(`${c.name}: ${firstDifference(g, want[c.name])}`);
      for (const line of g.split('\n')) {
        if (!line.startsWith('{')) continue;
        // Equal bytes parse equal; this holds each line to be one valid JSON object too.
        expect(typeof JSON.parse(line)).toBe('object');
        lines++;
      }
    }
    expect(lines).toBeGreaterThan(5000);
  }, 120_000);
});

describeCorpus('frameRecord (the public API) is the object of each NDJSON line', () => {
  itCorpus('every frame of every file, rich names, as captured and without analysis', async () => {
    const want = JSON.parse(gunzipSync(readFileSync(GOLDEN)).toString('utf8')) as Record<string, string>;
    const decoder = new FrameDecoder();
    const resolver = richResolver();
    let frames = 0;
    for (const c of cases().filter((x) => x.options?.allCopies)) {
      const lines = want[c.name].split('\n').filter((l) => l.startsWith('{'));
      let n = 0;
      try {
        for await (const b of openCaptureFile(c.file)) {
          for (let i = 0; i < b.count; i++, n++) {
            const rec = frameRecord(decoder.decodeFrame(b, i), n + 1, b.tsSec[i], b.tsNsec[i], resolver, b.interfaces[b.ifIndex[i]]?.name);
            expect(rec, `${c.name} frame ${n + 1}`).toEqual(JSON.parse(lines[n]));
          }
        }
      } catch (e) {
        if (!(e instanceof CaptureFileError)) throw e;
      }
      expect(n, c.name).toBe(lines.length);
      frames += n;
    }
    expect(frames).toBeGreaterThan(1000);
  }, 120_000);
});
