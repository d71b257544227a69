import { describe, expect, it } from 'vitest';
import { msDigits } from '../../src/duration.js';
import { ByteText } from '../../src/present/byte-text.js';
import { TextFormatter, writeRtt } from '../../src/present/text-line.js';
import { FrameDecoder } from '../../src/decode/index.js';
import { replayNames } from '../../src/session/replay-names.js';

function rttText(ns: number): string {
  const o = new ByteText();
  writeRtt(o, ns);
  return o.take().toString('latin1');
}

describe('writeRtt', () => {
  it('writes what msDigits does, ties and the far end included', () => {
    const ns = [0, 1, 499, 500, 501, 999, 1000, 1499, 1500, 1501, 15000, 35000, 999_499, 999_500, 999_501, 1e6, 1_234_567, 2_000_500,
      123_456_789_500, 9e12 - 1, 9e12, 9e12 + 500, 1e15 + 1500, 2 ** 53, 1e21, 1e22];
    let x = 12345;
    for (let k = 0; k < 20000; k++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      ns.push(x % 10_000_000, x * 997 + (k % 3) * 500, Math.floor(x / 1000) * 1000 + 500);
    }
    for (const v of ns) expect(rttText(v)).toBe(`, rtt ${msDigits(v)} ms`);
  });
});

describe('TextFormatter.writeLine', () => {
  for (const file of ['captures/seed-ping.pcap', 'captures/seed-default-gateway.pcap', 'captures/dual-stack-ping.pcapng']) {
    it(`writes line()'s text, in every option, on ${file}`, async () => {
      const { source, resolver, close } = await replayNames(file, { names: true }, { onWarning: () => undefined });
      const formatters = [{}, { nano: true }, { date: true, showInterface: true }].map((x) => new TextFormatter({ resolver, ...x }));
      const dec = new FrameDecoder();
      let frames = 0;
      for await (const b of source) {
        for (let i = 0; i < b.count; i++) {
          const f = dec.decodeFrame(b, i);
          const ifName = b.interfaces[b.ifIndex[i]]?.name ?? 'eth0';
          for (const t of formatters) {
            const o = new ByteText();
            t.writeLine(o, f, b.tsSec[i], b.tsNsec[i], ifName);
            expect(o.take().toString('utf8')).toBe(t.line(f, b.tsSec[i], b.tsNsec[i], ifName));
          }
          frames++;
        }
      }
      await close();
      expect(frames).toBeGreaterThan(3);
    });
  }
});
