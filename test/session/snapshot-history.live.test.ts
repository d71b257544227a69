import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { CliProcess } from '../lab/cli-process.js';
import { labExec, runLabContainer, seedLabDown, seedLabUp } from '../lab/docker-lab.js';
import { flushContainerNeighbours } from '../lab/neighbours.js';
import { repoRoot } from '../cli/run-cli.js';
import { describeLive } from '../support/live.js';

const LATE = { name: 'snap-late', ip: '172.30.0.24' };

interface Row {
  n: number;
  summary: string;
  src: { container?: string };
  ipv4?: { src: string };
  arp?: { senderIp: string };
}

function replayJson(args: string[], input?: Buffer): { status: number | null; rows: Row[]; stderr: string; stdout: string } {
  const r = spawnSync(process.execPath, ['dist/cli/main.js', 'replay', ...args, '--json', '--no-analysis'], { cwd: repoRoot, input, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, rows: r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row) };
}

const fromLate = (f: Row) => f.ipv4?.src === LATE.ip || f.arp?.senderIp === LATE.ip;

describeLive('a capture file remembers a container that started during the capture', { root: true, docker: true, tools: ['tshark'] }, () => {
  let dir: string;
  const running: CliProcess[] = [];

  beforeAll(async () => {
    await seedLabUp();
    dir = await mkdtemp(join(tmpdir(), 'bs-snap-hist-'));
  });
  afterEach(() => {
    for (const p of running.splice(0)) p.kill();
  });
  afterAll(async () => {
    await seedLabDown();
    await rm(dir, { recursive: true, force: true });
  });

  it('capture br_xx -w --comments: the late container is named live, on replay and on replay - (stdin); tshark counts the same frames', async () => {
    const file = join(dir, 'late.pcapng');
    flushContainerNeighbours('web-bridge-1', 'web-bridge-2');
    const cap = new CliProcess(['capture', 'br_xx', '-w', file, '--print', '-f', 'arp or icmp', '--comments']);
    running.push(cap);
    await cap.started();
    labExec('web-bridge-1', ['ping', '-c', '1', '172.30.0.11']);
    await runLabContainer(LATE.name, { network: 'br_xx', ipv4: LATE.ip });
    labExec(LATE.name, ['ping', '-c', '2', '172.30.0.11']);
    await cap.until('the late echo replies', (p) => p.lines.filter((l) => l.includes(`web-bridge-2 > ${LATE.name}`) && l.includes('echo reply')).length >= 2);
    execFileSync('docker', ['stop', '-t', '0', LATE.name], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await cap.stop()).toEqual({ code: 0, signal: null });

    const replayed = replayJson([file]);
    expect(replayed.status).toBe(0);
    expect(replayed.stderr).toBe('');
    const late = replayed.rows.filter(fromLate);
    expect(late.length).toBeGreaterThanOrEqual(3);
    expect(late.map((f) => f.src.container)).toEqual(late.map(() => LATE.name));
    // The frames before it started are named from the first snapshot.
    expect(replayed.rows[0].src.container).toBe('web-bridge-1');
    // Each live line names the same source as the replay does.
    expect(replayed.rows.map((f) => f.src.container ?? '')).toEqual(cap.lines.map((l) => {
      const src = /^\S+\s+(\S+) >/.exec(l)?.[1] ?? '';
      return src.includes('.') || src.includes(':') ? '' : src;
    }));

    const piped = replayJson(['-'], readFileSync(file));
    expect(piped.status).toBe(0);
    expect(piped.stdout).toBe(replayed.stdout);

    // The file kept the history: the start, the container's start, its stop (with its state).
    const history = spawnSync(process.execPath, ['dist/cli/main.js', 'topology', '--file', file], { cwd: repoRoot, encoding: 'utf8' });
    expect(history.status).toBe(0);
    expect(history.stdout).toMatch(new RegExp(`\\+ ${LATE.name} \\(running\\)  ${LATE.ip.replace(/\./g, '\\.')} on br_xx`));
    expect(history.stdout).toMatch(new RegExp(`~ ${LATE.name}: running -> exited; addresses ${LATE.ip.replace(/\./g, '\\.')} on br_xx -> none`));
    expect(history.stdout).toContain(`    ${LATE.name} (exited)`);

    const tshark = execFileSync('tshark', ['-n', '-r', file, '-T', 'fields', '-E', 'separator=/t', '-e', 'frame.number', '-e', 'frame.comment'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n').filter(Boolean).map((l) => l.split('\t'));
    expect(tshark.map((c) => Number(c[0]))).toEqual(replayed.rows.map((f) => f.n));
    // --comments: Wireshark users see the names per frame, as the live view named them.
    const echo = replayed.rows.findIndex((f) => fromLate(f) && f.summary.startsWith('ICMP echo request'));
    expect(tshark[echo][1]).toBe(`${LATE.name} > web-bridge-2`);
    expect(tshark[0][1]).toMatch(/^web-bridge-1 > /);
  }, 60_000);
});
