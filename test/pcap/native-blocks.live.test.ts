import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createNetnsLab, type NetnsLab } from '../../src/bench/netns-lab.js';
import { openLiveCapture } from '../../src/capture/live-source.js';
import { openCaptureFile } from '../../src/pcap/open.js';
import { PcapngWriter } from '../../src/pcap/pcapng-writer.js';
import { copyFrame, type FrameBatch, type OwnedFrame } from '../../src/source/frame-batch.js';
import { describeLive } from '../support/live.js';
import { readAll } from './read-all.js';
import { tempDir } from './temp-file.js';

/**
 * The native engine's batches hold each frame inside a pcapng EPB, and the pcapng writer sends
 * them to the file as they are. Checked on a real flood: the file is byte for byte what the
 * per-frame writer makes of the same batches, tshark and tcpdump read every frame, our reader
 * reads back what was captured, and the ISB carries libpcap's counters, drops included.
 */
const LAB = { nsPrefix: 'bstest-nb-', ifPrefix: 'bsnb-', subnet: '10.203.7' };
const ROOT_WARNING = /^Running as user "root" and group "root"\. This could be dangerous\.\n?/;
const path = tempDir();

function tool(cmd: string, args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 << 20 });
  return { stdout: r.stdout, stderr: r.stderr.replace(ROOT_WARNING, ''), status: r.status };
}

/** A flood of `count` echo requests (and their replies) from a to b; resolves when ping exits. */
async function flood(lab: NetnsLab, count: number): Promise<void> {
  const ping = spawn('ip', ['netns', 'exec', lab.nsA, 'ping', '-q', '-f', '-c', String(count), lab.ipB], { stdio: 'ignore' });
  await once(ping, 'exit');
}

describeLive('pcapng written from the native arena', { root: true, tools: ['tshark', 'tcpdump', 'ip', 'ping'] }, () => {
  let lab: NetnsLab;
  beforeAll(() => {
    lab = createNetnsLab(LAB);
  });
  afterAll(() => lab?.teardown());

  it('writes the same bytes as the per-frame writer, readable by tshark, tcpdump and our reader, with ids patched for a second interface', async () => {
    const fast = new PcapngWriter(path('native.pcapng'));
    const slow = new PcapngWriter(path('per-frame.pcapng'));
    const captured: OwnedFrame[] = [];
    let nativeBatches = 0;
    const write = (b: FrameBatch) => {
      nativeBatches += b.epbArena ? 1 : 0;
      for (let i = 0; i < b.count; i++) captured.push(copyFrame(b, i));
      const before = slow.framesWritten;
      slow.writeBatch({ ...b, epbArena: undefined });
      expect(slow.framesWritten - before).toBe(b.count);
      fast.writeBatch(b);
    };
    // First the veth (IDB 0, as the addon writes it), then the bridge: its frames become IDB 1,
    // an id the writer must set in each block.
    for (const iface of [lab.vethA, lab.bridge]) {
      // Whole echo frames, in small ring slots: in immediate mode libpcap sizes each slot by the
      // snaplen, and at the default (256 KiB) the ring holds a few hundred frames, which a flood
      // overflows whenever a busy machine leaves this process unscheduled for a few tens of ms.
      const src = openLiveCapture([iface], { immediate: true, snaplen: 2048 });
      const drained = (async () => {
        for await (const b of src) write(b);
      })();
      const before = captured.length;
      await flood(lab, 300);
      // On a busy machine the kernel may still hold frames when ping exits: wait for them (up to
      // 5 s) rather than for a fixed time, since close() ends the capture where it stands.
      for (let t = 0; t < 100 && captured.length - before < 600; t++) await new Promise((r) => setTimeout(r, 50));
      await src.close();
      await drained;
    }
    fast.close();
    slow.close();

    expect(nativeBatches).toBeGreaterThan(0);
    expect(fast.framesWritten).toBe(captured.length);
    expect(readFileSync(path('native.pcapng')).equals(readFileSync(path('per-frame.pcapng')))).toBe(true);

    const file = path('native.pcapng');
    const shark = tool('tshark', ['-n', '-r', file, '-T', 'fields', '-e', 'frame.interface_name', '-e', 'frame.time_epoch', '-e', 'frame.len']);
    expect(shark.stderr).toBe('');
    expect(shark.status).toBe(0);
    const rows = shark.stdout.trim().split('\n').map((l) => l.split('\t'));
    expect(rows).toHaveLength(captured.length);
    // 300 requests and their replies on each interface, the veth's first (on a busy machine the
    // last pair may still be on its way when the capture closes: the bytes are checked above).
    const firstBridge = rows.findIndex((r) => r[0] === lab.bridge);
    expect(firstBridge).toBeGreaterThanOrEqual(590);
    expect(rows.length - firstBridge).toBeGreaterThanOrEqual(590);
    rows.forEach((r, i) => {
      const f = captured[i];
      expect(r[0]).toBe(i < firstBridge ? lab.vethA : lab.bridge);
      expect(r[1]).toBe(`${f.tsSec}.${String(f.tsNsec).padStart(9, '0')}`);
      expect(Number(r[2])).toBe(f.origLen);
    });
    const dump = tool('tcpdump', ['-nn', '-r', file]);
    expect(dump.status).toBe(0);
    expect(dump.stdout.trim().split('\n')).toHaveLength(captured.length);

    const back = await readAll(openCaptureFile(file));
    expect(back.error).toBeNull();
    expect(back.frames).toHaveLength(captured.length);
    back.frames.forEach((f, i) => {
      const want = captured[i];
      expect([f.tsSec, f.tsNsec, f.len, f.capLen]).toEqual([want.tsSec, want.tsNsec, want.origLen, want.capLen]);
      expect(Buffer.from(f.bytes).equals(Buffer.from(want.bytes))).toBe(true);
    });
  });

  it('puts libpcap’s receive and drop counters in the ISB, kernel drops included', async () => {
    // Nothing reads while the flood runs (the source pauses after its first delivery), so a small
    // kernel buffer overflows and libpcap counts the drops.
    const src = openLiveCapture([lab.bridge], { bufferSize: 1 << 16, maxQueuedBytes: 1 });
    await flood(lab, 3000);
    await new Promise((r) => setTimeout(r, 100));
    const writer = new PcapngWriter(path('drops.pcapng'));
    const drained = (async () => {
      for await (const b of src) writer.writeBatch(b);
    })();
    await new Promise((r) => setTimeout(r, 300));
    await src.close();
    await drained;
    const [stats] = src.stats();
    writer.close(src.stats());

    expect(stats.droppedByKernel).toBeGreaterThan(0);
    expect(writer.framesWritten).toBeGreaterThan(0);
    const file = openCaptureFile(path('drops.pcapng'));
    const back = await readAll(file);
    expect(back.error).toBeNull();
    expect(back.frames).toHaveLength(writer.framesWritten);
    expect(file.meta.interfaceStats).toEqual([
      { ifIndex: 0, received: BigInt(stats.received), ifDropped: BigInt(stats.droppedByInterface), osDropped: BigInt(stats.droppedByKernel) },
    ]);
    const shark = tool('tshark', ['-n', '-r', path('drops.pcapng'), '-c', '1']);
    expect(shark.stderr).toBe('');
    expect(shark.status).toBe(0);
  });
});
