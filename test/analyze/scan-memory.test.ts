import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = (path: string) => new URL(`../../dist/${path}`, import.meta.url).href;
const ADDRESSES = 100_000;
/** What the analyzer may hold for a 100k-address scan (about 46 MB measured; 3.4 GB with an 8 KB RTT buffer per set). */
const BOUND_MB = 64;

/**
 * One host ARP-scans 10.128.0.0/15 (ADDRESSES targets, 20k frames a second) and one target in
 * three answers from a MAC of its own: one address pair (and one RTT sample for a third of
 * them) per target. Run in a child with --expose-gc so heap and ArrayBuffer growth are read
 * after full collections, with the analyzer still referenced.
 */
const CHILD = `
const { Analyzer } = await import(${JSON.stringify(dist('analyze/index.js'))});
const { FrameDecoder } = await import(${JSON.stringify(dist('decode/index.js'))});
const used = () => { gc(); gc(); const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
const f = new Uint8Array(42);
const asker = [2, 0, 0, 0, 0, 1];
const askerIp = [10, 0, 0, 1];
function arp(op, ethDst, mac, ip, targetMac, targetIp) {
  f.set(ethDst, 0); f.set(mac, 6); f.set([8, 6, 0, 1, 8, 0, 6, 4, 0, op], 12);
  f.set(mac, 22); f.set(ip, 28); f.set(targetMac, 32); f.set(targetIp, 38);
  return f;
}
const dec = new FrameDecoder();
const before = used();
const analyzer = new Analyzer({});
let n = 0;
const feed = (frame) => { n++; analyzer.observe(dec.decode(frame, 1), n, 1000 + Math.floor(n / 20000), (n % 20000) * 50000); };
for (let i = 0; i < ${ADDRESSES}; i++) {
  const target = [10, 128 + (i >> 16), (i >> 8) & 255, i & 255];
  feed(arp(1, [255, 255, 255, 255, 255, 255], asker, askerIp, [0, 0, 0, 0, 0, 0], target));
  if (i % 3 === 0) feed(arp(2, asker, [2, 9, 0, i >> 16, (i >> 8) & 255, i & 255], target, asker, askerIp));
}
const growth = used() - before;
const report = analyzer.finish();
const answered = report.pairs.filter((p) => p.arp.latency.count === 1).length;
process.stdout.write(JSON.stringify({ frames: n, pairs: report.pairs.length, answered, growthMb: growth / 1e6 }));
`;

describe('analysis memory', () => {
  it(`holds a ${ADDRESSES.toLocaleString('en-US')}-address ARP scan in under ${BOUND_MB} MB (pairs and RTT sets grow with their samples)`, () => {
    const r = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', CHILD], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { frames: number; pairs: number; answered: number; growthMb: number };
    expect(out.pairs).toBe(ADDRESSES);
    expect(out.answered).toBe(Math.ceil(ADDRESSES / 3));
    expect(out.growthMb).toBeLessThan(BOUND_MB);
  });
});
