import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createNetnsLab, type NetnsLab } from '../../src/bench/netns-lab.js';
import {
  BpfFilterError,
  CapturePermissionError,
  InterfaceDownError,
  UnknownInterfaceError,
} from '../../src/capture/errors.js';
import { captureOpenError, openLiveCapture } from '../../src/capture/live-source.js';
import { loadNative } from '../../src/capture/native.js';
import { describeLive } from '../support/live.js';
import { collect, frameKey, kind, LAB_SPEC, sleep, startTcpdump, tcpdumpFrames, tsNs } from './lab-helpers.js';

describeLive('live capture on a netns lab', { root: true, tools: ['tcpdump', 'ip', 'ping'] }, () => {
  let lab: NetnsLab;
  let dir: string;
  beforeAll(() => {
    lab = createNetnsLab(LAB_SPEC);
    dir = mkdtempSync(join(tmpdir(), 'bstest-cap-'));
  });
  afterAll(() => {
    lab?.teardown();
    for (const name of ['bsc-x0', 'bsc-d0']) spawnSync('ip', ['link', 'del', name], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  });

  const ping = (count = 3) => lab.exec(lab.nsA, ['ping', '-c', String(count), '-i', '0.2', lab.ipB]);

  it('merges bridge and veth frames in order, with timestamps within 1 ms of tcpdump', async () => {
    const pcap = join(dir, 'bridge.pcap');
    const stopTcpdump = await startTcpdump(lab.bridge, pcap);
    const src = openLiveCapture([lab.bridge, lab.vethA]);
    const { frames, done } = collect(src);
    lab.flushNeighbours();
    ping();
    await sleep(200);
    await src.close();
    await done;
    await stopTcpdump();

    expect(src.interfaces.map((i) => [i.name, i.linkType, i.hostIfIndex])).toEqual([
      [lab.bridge, 1, Number(readFileSync(`/sys/class/net/${lab.bridge}/ifindex`, 'utf8'))],
      [lab.vethA, 1, Number(readFileSync(`/sys/class/net/${lab.vethA}/ifindex`, 'utf8'))],
    ]);
    for (let i = 1; i < frames.length; i++) expect(tsNs(frames[i]) >= tsNs(frames[i - 1])).toBe(true);

    const expected = ['arp-request', 'arp-reply', ...Array(3).fill(['echo-request', 'echo-reply']).flat()];
    for (const ifIndex of [0, 1]) {
      const seen = frames.filter((f) => f.ifIndex === ifIndex).map((f) => kind(f.bytes));
      expect(seen.filter((k) => k.startsWith('arp') || k.startsWith('echo')).slice(0, 8)).toEqual(expected);
    }

    // The two captures start and stop at different moments, so frames are matched by content:
    // each of the ping's frames on the bridge must be in tcpdump's file within 1 ms of our time.
    const theirs = await tcpdumpFrames(pcap);
    const pingFrames = frames.filter((f) => f.ifIndex === 0 && /^(arp|echo)/.test(kind(f.bytes))).slice(0, expected.length);
    expect(pingFrames).toHaveLength(expected.length);
    for (const f of pingFrames) {
      const twin = theirs.find((t) => t.key === frameKey(f.bytes));
      expect(twin, `tcpdump has frame ${kind(f.bytes)}`).toBeDefined();
      const diff = tsNs(f) > twin!.tsNs ? tsNs(f) - twin!.tsNs : twin!.tsNs - tsNs(f);
      expect(diff < 1_000_000n).toBe(true);
    }
  });

  it('keeps the wire length when the snaplen truncates', async () => {
    const src = openLiveCapture([lab.bridge], { snaplen: 64 });
    const { frames, done } = collect(src);
    lab.flushNeighbours();
    ping(2);
    await sleep(100);
    await src.close();
    await done;
    const echoes = frames.filter((f) => kind(f.bytes).startsWith('echo'));
    expect(echoes).toHaveLength(4);
    for (const f of echoes) expect([f.capLen, f.bytes.length, f.origLen]).toEqual([64, 64, 98]);
    const arp = frames.find((f) => kind(f.bytes) === 'arp-request');
    expect([arp?.capLen, arp?.origLen]).toEqual([42, 42]);
  });

  it('honours a BPF filter and counts what passed it', async () => {
    const src = openLiveCapture([lab.bridge], { filter: 'icmp' });
    const { frames, done } = collect(src);
    lab.flushNeighbours();
    ping();
    await sleep(100);
    const live = src.stats();
    await src.close();
    await done;
    expect(frames.map((f) => kind(f.bytes))).toEqual(Array(3).fill(['echo-request', 'echo-reply']).flat());
    expect(live).toEqual([{ interface: lab.bridge, received: 6, droppedByKernel: 0, droppedByInterface: 0 }]);
    expect(src.stats()[0].received).toBe(6);
  });

  it('reports a bad BPF expression with libpcap message', () => {
    let err: unknown;
    try {
      openLiveCapture([lab.bridge], { filter: 'icmp and and' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BpfFilterError);
    expect((err as Error).message).toMatch(/^bad capture filter "icmp and and": .*syntax error/);
  });

  it('names close matches for an unknown interface', () => {
    expect(() => openLiveCapture(['bsc-bt'])).toThrow(UnknownInterfaceError);
    expect(() => openLiveCapture(['bsc-bt'])).toThrow(/no network interface named bsc-bt; did you mean .*bsc-br/);
  });

  it('says an interface is down and how to bring it up', () => {
    execFileSync('ip', ['link', 'add', 'bsc-d0', 'type', 'veth', 'peer', 'name', 'bsc-d1']);
    expect(() => openLiveCapture(['bsc-d0'])).toThrow(InterfaceDownError);
    expect(() => openLiveCapture(['bsc-d0'])).toThrow(/ip link set bsc-d0 up/);
  });

  it('ends cleanly with a reason when the veth is deleted mid-capture', async () => {
    execFileSync('ip', ['link', 'add', 'bsc-x0', 'type', 'veth', 'peer', 'name', 'bsc-x1']);
    execFileSync('ip', ['link', 'set', 'bsc-x0', 'up']);
    execFileSync('ip', ['link', 'set', 'bsc-x1', 'up']);
    const ended: string[] = [];
    const src = openLiveCapture(['bsc-x0', lab.bridge], { onInterfaceEnd: (e) => ended.push(e.interface) });
    const { done } = collect(src);
    await sleep(100);
    execFileSync('ip', ['link', 'del', 'bsc-x0']);
    await sleep(300);
    expect(ended).toEqual(['bsc-x0']);
    expect(src.endReasons()[0].reason).toMatch(/disappeared/);
    // The bridge goes on capturing after its companion is gone.
    const before = src.stats()[1].received;
    lab.flushNeighbours();
    ping(1);
    await sleep(100);
    expect(src.stats()[1].received).toBeGreaterThan(before);
    await src.close();
    await done;
    expect(src.stats().map((s) => s.interface)).toEqual(['bsc-x0', lab.bridge]);
  });

  it('ends the whole stream when its only interface goes away', async () => {
    execFileSync('ip', ['link', 'add', 'bsc-x0', 'type', 'veth', 'peer', 'name', 'bsc-x1']);
    execFileSync('ip', ['link', 'set', 'bsc-x0', 'up']);
    const src = openLiveCapture(['bsc-x0']);
    const { done } = collect(src);
    await sleep(50);
    execFileSync('ip', ['link', 'del', 'bsc-x0']);
    await done; // finishes by itself: no close() needed
    expect(src.endReasons().map((e) => [e.interface, e.reason])).toEqual([['bsc-x0', 'The interface disappeared']]);
  });

  it('ends with "went down" when its interface is set down, and "disappeared" only when it is gone', async () => {
    execFileSync('ip', ['link', 'add', 'bsc-x0', 'type', 'veth', 'peer', 'name', 'bsc-x1']);
    execFileSync('ip', ['link', 'set', 'bsc-x0', 'up']);
    const src = openLiveCapture(['bsc-x0']);
    const { done } = collect(src);
    await sleep(50);
    execFileSync('ip', ['link', 'set', 'bsc-x0', 'down']);
    await done;
    execFileSync('ip', ['link', 'del', 'bsc-x0']);
    expect(src.endReasons().map((e) => [e.interface, e.reason])).toEqual([['bsc-x0', 'The interface went down']]);
  });

  it('adds interfaces to a running capture: from none (holdOpen), then a second lane on one timeline', async () => {
    const src = openLiveCapture([], { holdOpen: true, filter: 'icmp' });
    const { frames, done } = collect(src);
    await sleep(50);
    expect(src.interfaces).toEqual([]);
    src.addInterface(lab.bridge);
    ping(1);
    await sleep(100);
    src.addInterface(lab.vethA);
    ping(2);
    await sleep(100);
    expect(src.interfaces.map((i) => [i.id, i.name])).toEqual([[0, lab.bridge], [1, lab.vethA]]);
    expect(src.stats().map((s) => s.interface)).toEqual([lab.bridge, lab.vethA]);
    await src.close();
    await done;
    for (let i = 1; i < frames.length; i++) expect(tsNs(frames[i]) >= tsNs(frames[i - 1])).toBe(true);
    expect(frames.filter((f) => f.ifIndex === 0).map((f) => kind(f.bytes))).toEqual(Array(3).fill(['echo-request', 'echo-reply']).flat());
    expect(frames.filter((f) => f.ifIndex === 1).map((f) => kind(f.bytes))).toEqual(Array(2).fill(['echo-request', 'echo-reply']).flat());
  });

  it('closes twice, and closes while a flood is in flight', async () => {
    const src = openLiveCapture([lab.bridge, lab.vethB]);
    const flood = spawn('ip', ['netns', 'exec', lab.nsA, 'ping', '-f', '-w', '2', lab.ipB], { stdio: 'ignore' });
    let batches = 0;
    for await (const b of src) {
      expect(b.count).toBeGreaterThan(0);
      if (++batches === 3) {
        await src.close();
        await src.close();
      }
    }
    flood.kill();
    // The loop ended by itself after close (only frames already queued came after it).
    expect(batches).toBeGreaterThanOrEqual(3);
    expect(src.stats()[0].received).toBeGreaterThan(0);
    const h = new (loadNative().PcapHandle)();
    h.open(lab.bridge, { snaplen: 64, bufferSize: 1 << 20, immediate: true, promisc: false, direction: 'inout' });
    h.close();
    h.close();
    expect(h.stats()).not.toBeNull();
  });

  it('runs the cap engine behind the same interface, with its documented limits', async () => {
    // In a child process: see cap-child.mjs for why.
    const dist = fileURLToPath(new URL('../../dist', import.meta.url));
    const child = spawn(process.execPath, [fileURLToPath(new URL('./cap-child.mjs', import.meta.url)), dist, lab.bridge, lab.vethA], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    for (let i = 0; i < 100 && !out.includes('ready'); i++) await sleep(50);
    expect(out).toContain('ready');
    ping(2);
    await sleep(100);
    child.stdin.end('stop\n');
    await once(child, 'exit');
    const r = JSON.parse(out.split('\n').find((l) => l.startsWith('{'))!) as {
      engine: string;
      frames: { ifIndex: number; tsNs: string; capLen: number; origLen: number; icmpType: number }[];
      received: number;
      droppedByKernel: string;
      addInterface: string;
    };
    expect(r.engine).toBe('cap');
    expect(r.frames.filter((f) => f.ifIndex === 0).map((f) => f.icmpType)).toEqual([8, 0, 8, 0]);
    for (let i = 1; i < r.frames.length; i++) expect(BigInt(r.frames[i].tsNs) >= BigInt(r.frames[i - 1].tsNs)).toBe(true);
    for (const f of r.frames) expect(f.origLen).toBe(f.capLen);
    expect(r.received).toBe(4);
    expect(r.droppedByKernel).toBe('NaN');
    expect(r.addInterface).toBe('BS_CAPTURE_FIXED_INTERFACES');
  });

  it('tells an unprivileged user to use sudo or setcap', () => {
    const addon = new URL('../../native/build/Release/bridgescope_pcap.node', import.meta.url).pathname;
    const out = execFileSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', process.execPath, '-e',
        `try { new (require(${JSON.stringify(addon)}).PcapHandle)().open(${JSON.stringify(lab.bridge)}, {}) }
         catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })) }`],
      { encoding: 'utf8' },
    );
    const native = JSON.parse(out) as { code: string; message: string };
    expect(native.code).toBe('PCAP_PERM_DENIED');
    const err = captureOpenError(Object.assign(new Error(native.message), { code: native.code }), lab.bridge);
    expect(err).toBeInstanceOf(CapturePermissionError);
    expect(err.message).toContain('sudo setcap cap_net_raw,cap_net_admin=eip');
  });
});
