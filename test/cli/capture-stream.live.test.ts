import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createNetnsLab, type NetnsLab } from '../../src/bench/netns-lab.js';
import { openCaptureFile } from '../../src/pcap/open.js';
import { describeLive } from '../support/live.js';
import { runCli } from './run-cli.js';

const main = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const SPEC = { nsPrefix: 'bstest-stream-', ifPrefix: 'bsstr-', subnet: '10.206.0' };

/** The CLI with its standard input and output pipes of ours (the output is binary: kept as bytes). */
class StreamingCli {
  readonly child: ChildProcess;
  readonly chunks: Buffer[] = [];
  stderr = '';
  readonly exited: Promise<unknown[]>;
  constructor(args: string[]) {
    this.child = spawn(process.execPath, [main, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC' } });
    this.child.stdout!.on('data', (d: Buffer) => this.chunks.push(d));
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = once(this.child, 'close');
  }
  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
  async until(what: string, check: () => boolean, ms = 15_000): Promise<void> {
    const end = Date.now() + ms;
    while (!check()) {
      if (this.child.exitCode !== null) throw new Error(`CLI ended before ${what}:\n${this.stderr}`);
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** `name: R received by filter, K dropped by kernel, I dropped by interface` lines, by interface. */
function countersOf(stderr: string): Map<string, [number, number, number]> {
  const out = new Map<string, [number, number, number]>();
  for (const m of stderr.matchAll(/^(\S+): (\d+) received by filter, (\d+) dropped by kernel, (\d+) dropped by interface$/gm)) {
    out.set(m[1], [Number(m[2]), Number(m[3]), Number(m[4])]);
  }
  return out;
}

const tshark = (file: string) => execFileSync('tshark', ['-n', '-r', file, '-T', 'fields', '-e', 'frame.interface_name', '-e', 'icmp.type'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  .split('\n').filter(Boolean).map((l) => l.split('\t'));

describeLive('capture -w -: pcapng streamed on standard output', { root: true, tools: ['tshark', 'capinfos', 'ping'] }, () => {
  let lab: NetnsLab;
  let dir: string;
  beforeAll(() => {
    lab = createNetnsLab(SPEC);
    dir = mkdtempSync(join(tmpdir(), 'bs-stream-'));
  });
  afterAll(() => {
    lab?.teardown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('frames arrive while it runs; its input closed, it ends with an ISB per interface whose counters are the ones it printed', async () => {
    const cli = new StreamingCli(['capture', '--no-names', '-f', 'icmp', lab.vethA, lab.bridge, lab.vethB, '-w', '-']);
    try {
      await cli.until('capture start', () => cli.stderr.includes('capturing on'));
      lab.exec(lab.nsA, ['ping', '-c', '3', '-i', '0.2', '-W', '1', lab.ipB]);
      // Each batch is flushed: the echoes can be read before the capture ends.
      const partial = join(dir, 'partial.pcapng');
      await cli.until('the echoes on standard output', () => {
        writeFileSync(partial, cli.bytes);
        return tshark(partial).length >= 18;
      });
      cli.child.stdin!.end();
      const [code] = await cli.exited;
      expect(code, cli.stderr).toBe(0);
    } finally {
      cli.child.kill('SIGKILL');
    }
    const file = join(dir, 'stream.pcapng');
    writeFileSync(file, cli.bytes);
    const rows = tshark(file);
    const frames = Number(/^(\d+) frames captured \(written to standard output\)$/m.exec(cli.stderr)?.[1]);
    expect(rows).toHaveLength(frames);
    for (const i of [lab.vethA, lab.bridge, lab.vethB]) expect(rows.filter(([name, type]) => name === i && type === '8')).toHaveLength(3);

    const info = execFileSync('capinfos', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Number of interfaces in file: 3/);
    expect(info.match(/Time precision = nanoseconds \(9\)/g)).toHaveLength(3);
    expect(info.match(/Number of stat entries = 1/g)).toHaveLength(3);

    const src = openCaptureFile(file);
    for await (const b of src) void b;
    const printed = countersOf(cli.stderr);
    expect([...printed.keys()].sort()).toEqual([lab.vethA, lab.bridge, lab.vethB].sort());
    for (const s of src.meta.interfaceStats) {
      const [received, kernel, iface] = printed.get(src.interfaces[s.ifIndex].name!)!;
      expect(received).toBeGreaterThanOrEqual(6);
      expect([s.received, s.osDropped, s.ifDropped]).toEqual([BigInt(received), BigInt(kernel), BigInt(iface)]);
    }
  }, 60_000);

  it('SIGTERM ends it the same way (ISBs, exit 0); a quiet interface is declared and counted too', async () => {
    const cli = new StreamingCli(['capture', '--no-names', '-f', 'icmp', lab.vethA, '-w', '-']);
    await cli.until('capture start', () => cli.stderr.includes('capturing on'));
    cli.child.kill('SIGTERM');
    const [code] = await cli.exited;
    expect(code, cli.stderr).toBe(0);
    const file = join(dir, 'quiet.pcapng');
    writeFileSync(file, cli.bytes);
    const src = openCaptureFile(file);
    for await (const b of src) void b;
    expect(src.interfaces.map((i) => i.name)).toEqual([lab.vethA]);
    expect(src.meta.interfaceStats).toEqual([{ ifIndex: 0, received: 0n, ifDropped: 0n, osDropped: 0n }]);
    expect(execFileSync('capinfos', [file], { encoding: 'utf8' })).toMatch(/Number of packets:\s+0/);
  }, 30_000);

  it('refuses --print with -w - (standard output is the capture)', () => {
    const r = runCli(['capture', '--no-names', lab.vethA, '-w', '-', '--print']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('bridgescope: --print writes lines to standard output, which -w - fills with the capture');
  });
});
