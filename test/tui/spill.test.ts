import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FrameDecoder } from '../../src/decode/index.js';
import { openCaptureFile } from '../../src/pcap/index.js';
import { saveShownFrames } from '../../src/tui/save.js';
import { TuiStore, type TuiStoreOptions } from '../../src/tui/store/tui-store.js';
import { FrameRowsModel } from '../../src/tui/view-model/frame-rows.js';
import { arpFrame, batchOf, echoFrame, tableResolver, WEB1, WEB2 } from './frames.js';

const resolver = tableResolver([WEB1, WEB2]);
const T0 = 1_700_000_000;

/** Frame i: an ARP request every 10th frame, else an echo request with sequence i and i-dependent payload. */
function frameNo(i: number): Uint8Array {
  if (i % 10 === 0) return arpFrame(1, WEB1.mac, WEB1.ip, '00:00:00:00:00:00', `172.30.${(i >> 8) & 255}.${i & 255}`);
  return echoFrame(8, WEB1.mac, WEB2.mac, WEB1.ip, WEB2.ip, 7, i & 0xffff, [i & 255, (i >> 8) & 255, (i >> 16) & 255, 0x55]);
}

/** `count` frames in batches of 500, timestamps 1 ms apart from T0 (frame i at i ms). */
function feed(store: TuiStore, count: number, from = 0): void {
  for (let at = from; at < from + count; at += 500) {
    const n = Math.min(500, from + count - at);
    store.ingest(batchOf(Array.from({ length: n }, (_, k) => frameNo(at + k)), T0, at));
  }
}

const stores: TuiStore[] = [];
function storeWith(opts: Partial<TuiStoreOptions> = {}): TuiStore {
  const s = new TuiStore({ resolver, ring: { frames: 1000 }, ...opts });
  stores.push(s);
  return s;
}
afterEach(() => {
  for (const s of stores.splice(0)) s.dispose();
});

describe('spill file', () => {
  it('scrolling home reaches frame 1 after the ring has moved on, with its bytes and fields', () => {
    // A small batch buffer: the oldest frames are read from the file, the newest spilled from memory.
    const s = storeWith({ spill: { batchBytes: 4096 } });
    feed(s, 5000);
    s.dispatch({ type: 'listRows', rows: 10 });
    s.dispatch({ type: 'home' });
    const snap = s.getSnapshot();
    expect(s.ring.first).toBe(4000);
    expect(snap.listFirst).toBe(0);
    expect(snap.held).toBe(5000);
    expect(snap.spilled).toBe(4000);
    expect(snap.droppedFromRing).toBe(0);
    expect(snap.ui.selected).toBe(0);
    expect(s.indexAt(0)).toBe(0);
    for (const i of [0, 1, 2345, 3999]) {
      expect(Buffer.from(s.frames.bytes(i)).equals(Buffer.from(frameNo(i)))).toBe(true);
      expect(s.frames.tsSecOf(i)).toBe(T0 + Math.floor(i / 1000));
      expect(s.frames.tsNsecOf(i)).toBe((i % 1000) * 1_000_000);
      expect(s.frames.origLenOf(i)).toBe(frameNo(i).length);
      expect(s.frames.linkTypeOf(i)).toBe(1);
    }
    const dec = new FrameDecoder();
    expect(s.decodeIndex(dec, 1).icmp?.sequence).toBe(1);
    expect(s.decodeIndex(dec, 0).arp?.targetIp).toBe('172.30.0.0');

    const rows = new FrameRowsModel(s).rows(snap);
    expect(rows.map((r) => r.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(rows[1].summary).toContain('seq 1');
    expect(rows[1].src).toContain('web-bridge-1');

    // Paging down from the top walks spilled frames in order.
    s.dispatch({ type: 'page', pages: 1 });
    s.dispatch({ type: 'page', pages: 1 });
    expect(s.getSnapshot().ui.selected).toBe(18);
    expect(new FrameRowsModel(s).rows(s.getSnapshot()).at(-1)?.summary).toContain('seq 18');
  });

  it('keeps every length byte for byte (odd sizes, jumbo frames, an empty frame)', () => {
    const s = storeWith({ ring: { frames: 100 }, spill: { batchBytes: 8192 } });
    const lengths = [0, 1, 2, 3, 5, 59, 60, 61, 1514, 9000, 65_535, ...Array.from({ length: 289 }, (_, i) => (i * 7919) % 3000)];
    let seed = 12345;
    const frames = lengths.map((len) => Uint8Array.from({ length: len }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24));
    s.ingest(batchOf(frames, T0));
    s.flush();
    expect(s.getSnapshot().spilled).toBe(200);
    for (let i = 0; i < 200; i++) expect(Buffer.from(s.frames.bytes(i)).equals(Buffer.from(frames[i]))).toBe(true);
  });

  it('keeps frames of a batch laid out like a file (record headers between them, a wide gap, an over-long frame)', () => {
    const s = storeWith({ ring: { frames: 50, maxFrameBytes: 1000 }, spill: { batchBytes: 2048 } });
    let seed = 7;
    const lengths = Array.from({ length: 400 }, (_, i) => (i === 123 ? 1500 : 40 + ((i * 37) % 200)));
    const frames = lengths.map((len) => Uint8Array.from({ length: len }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24));
    const b = batchOf(frames, T0);
    // Lay the frames out as a pcap file does (16 bytes before each), with 100 bytes before frame 200.
    let at = 0;
    const data = new Uint8Array(frames.reduce((n, f) => n + f.length + 16, 100));
    frames.forEach((f, i) => {
      at += i === 200 ? 116 : 16;
      data.fill(0xee, at - 16, at);
      data.set(f, at);
      b.offset[i] = at;
      at += f.length;
    });
    b.data = data;
    s.ingest(b);
    const expected = (i: number) => Buffer.from(frames[i].subarray(0, 1000));
    for (let i = 0; i < 400; i++) {
      expect(Buffer.from(s.frames.bytes(i)).equals(expected(i)), `frame ${i}`).toBe(true);
      expect(s.frames.origLenOf(i)).toBe(lengths[i]);
      expect(s.frames.tsNsecOf(i)).toBe(i * 1_000_000);
    }
    expect(s.frames.spill!.count).toBe(s.ring.first);
    expect(s.ring.first).toBeGreaterThan(300);
  });

  it('a display filter applied before the frames keeps spilled matches reachable', () => {
    const s = storeWith({ filter: 'arp' });
    feed(s, 5000);
    s.dispatch({ type: 'home' });
    const snap = s.getSnapshot();
    expect(snap.listEnd - snap.listFirst).toBe(500);
    expect(s.indexAt(snap.ui.selected)).toBe(0);
    expect(s.indexAt(snap.listFirst + 1)).toBe(10);
  });

  it('saving the list writes spilled frames too', async () => {
    const s = storeWith();
    feed(s, 3000);
    s.flush();
    const dir = mkdtempSync(join(tmpdir(), 'bridgescope-spill-save-'));
    try {
      const path = join(dir, 'all.pcapng');
      expect(saveShownFrames(s, path)).toBe(3000);
      let n = 0;
      for await (const b of openCaptureFile(path)) {
        for (let i = 0; i < b.count; i++, n++) {
          if (n !== 0 && n !== 1999 && n !== 2999) continue;
          const bytes = b.data.subarray(b.offset[i], b.offset[i] + b.capLen[i]);
          expect(Buffer.from(bytes).equals(Buffer.from(frameNo(n)))).toBe(true);
          expect(b.tsNsec[i]).toBe((n % 1000) * 1_000_000);
        }
      }
      expect(n).toBe(3000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the spill file is unlinked while open, and dispose closes it and removes the folder', () => {
    const s = storeWith({ spill: { batchBytes: 4096 } });
    feed(s, 2000);
    const path = s.frames.spill?.path;
    expect(path).toBeDefined();
    expect(readdirSync(path!)).toEqual([]);
    const open = () => readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`).startsWith(join(path!, 'frames-'));
      } catch {
        return false;
      }
    });
    expect(open()).toHaveLength(1);
    expect(readlinkSync(`/proc/self/fd/${open()[0]}`)).toMatch(/\(deleted\)$/);
    s.dispose();
    expect(existsSync(path!)).toBe(false);
    expect(open()).toHaveLength(0);
  });

  it('however long it runs, keeps the newest maxFrames and maxBytes, in at most 16 open files', () => {
    const spillFds = (dir: string) => readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`).startsWith(join(dir, 'frames-'));
      } catch {
        return false;
      }
    }).length;
    // By frames: 20,000 asked, kept in whole chunks of 8,192 (so 24,576 at most, 16,384 at least).
    const byFrames = storeWith({ spill: { batchBytes: 4096, maxFrames: 20_000 } });
    feed(byFrames, 100_000);
    const f = byFrames.frames.spill!;
    expect(f.count).toBe(99_000);
    expect(f.count - f.start).toBeLessThanOrEqual(24_576);
    expect(f.count - f.start).toBeGreaterThanOrEqual(16_384);
    expect(f.start % 8192).toBe(0);
    expect(byFrames.frames.first).toBe(f.start);
    expect(byFrames.getSnapshot().droppedFromRing).toBe(0); // not yet published
    byFrames.flush();
    expect(byFrames.getSnapshot().droppedFromRing).toBe(f.start);
    expect(byFrames.frames.has(f.start - 1)).toBe(false);
    for (const i of [f.start, f.start + 1, f.start + 8191, f.start + 8192, f.count - 1, f.count]) {
      expect(Buffer.from(byFrames.frames.bytes(i)).equals(Buffer.from(frameNo(i))), `frame ${i}`).toBe(true);
    }
    expect(f.indexBytes).toBeLessThanOrEqual(4 * 24_576 + 16 * 3);

    // By bytes: 1.6 MB asked, in 16 files of 100 kB, each at least a chunk (8,192 records of about 70 bytes).
    const byBytes = storeWith({ spill: { batchBytes: 4096, maxBytes: 1_600_000 } });
    feed(byBytes, 150_000);
    const b = byBytes.frames.spill!;
    const dir = b.path!;
    expect(spillFds(dir)).toBeLessThanOrEqual(16);
    expect(spillFds(dir)).toBeGreaterThan(1);
    expect(b.count - b.start).toBeLessThanOrEqual(16 * 8192);
    expect(b.start).toBeGreaterThan(0);
    // Every held frame reads back, across the files' seams.
    for (let i = b.start; i < b.count; i += 997) expect(Buffer.from(byBytes.frames.bytes(i)).equals(Buffer.from(frameNo(i))), `frame ${i}`).toBe(true);
    byBytes.dispose();
    expect(spillFds(dir)).toBe(0);
  });

  it('the index takes a few bytes per run the ring evicted, not per frame', () => {
    const s = storeWith();
    feed(s, 201_000);
    const spill = s.frames.spill!;
    expect(spill.count).toBe(200_000);
    // Runs of the ring's slack (125 frames), cut at chunk ends: 16 bytes each, 64 per chunk.
    expect(spill.indexBytes).toBeLessThanOrEqual(16 * (200_000 / 125 + 25) + 64 * 25);
    expect(Buffer.from(s.frames.bytes(123_457)).equals(Buffer.from(frameNo(123_457)))).toBe(true);
  });

  it('spill: false drops frames leaving the ring, as before', () => {
    const s = storeWith({ spill: false });
    feed(s, 2500);
    s.flush();
    const snap = s.getSnapshot();
    expect(snap.held).toBe(1000);
    expect(snap.droppedFromRing).toBe(1500);
    expect(snap.listFirst).toBe(1500);
    expect(s.indexAt(0)).toBe(-1);
  });

  it('a full disk stops spilling, says so in the status line, and the list falls back to the ring', (ctx) => {
    const mnt = mkdtempSync(join(tmpdir(), 'bridgescope-spill-full-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt], { stdio: 'ignore' });
    } catch {
      rmSync(mnt, { recursive: true, force: true });
      ctx.skip('mounting a 64 KiB tmpfs needs root (CI runs as root)');
    }
    try {
      const s = storeWith({ spill: { dir: mnt, batchBytes: 16_384 } });
      expect(() => feed(s, 20_000)).not.toThrow();
      s.flush();
      const snap = s.getSnapshot();
      expect(s.frames.spillError).toMatch(/ENOSPC/);
      expect(snap.ui.status).toMatch(/spill file stopped \(ENOSPC.*no longer kept/);
      expect(snap.listFirst).toBe(s.ring.first);
      expect(snap.held).toBe(1000);
      expect(snap.droppedFromRing).toBe(19_000);
      expect(readdirSync(mnt)).toEqual([]); // the failed spill removed its file
      s.dispatch({ type: 'home' });
      expect(s.indexAt(s.getSnapshot().ui.selected)).toBe(19_000);
    } finally {
      execFileSync('umount', [mnt]);
      rmSync(mnt, { recursive: true, force: true });
    }
  });
});
