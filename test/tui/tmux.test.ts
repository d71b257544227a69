import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeLive } from '../support/live.js';

/**
 * The UI in a real terminal: tmux runs it in a detached 120x30 pane, keys go in with send-keys,
 * the screen comes back with capture-pane. The tree is compiled into a private directory so a
 * concurrent `npm run build` into dist/ does not interfere.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'bridgescope-tmux-'));
// Inside the repository so the build's imports resolve from node_modules.
const build = join(ROOT, 'node_modules/.cache', `bridgescope-tui-test-${process.pid}`);
const socket = `bridgescope-test-${process.pid}`;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
}

async function screenUntil(ok: (s: string) => boolean, what: string, session: string): Promise<string> {
  let screen = '';
  for (let i = 0; i < 150; i++) {
    screen = tmux('capture-pane', '-p', '-t', session);
    if (ok(screen)) return screen;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tmux pane never showed ${what}:\n${screen}`);
}

/** Starts `command` in a new session; its exit status lands in `<work>/<session>.exit`. */
function startSession(session: string, command: string): string {
  const exitFile = join(work, `${session}.exit`);
  tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '30', `cd ${ROOT} && ${command}; echo $? > ${exitFile}; sleep 60`);
  return exitFile;
}

async function exitStatus(exitFile: string): Promise<number> {
  for (let i = 0; i < 100 && !existsSync(exitFile); i++) await new Promise((r) => setTimeout(r, 100));
  return Number(readFileSync(exitFile, 'utf8').trim());
}

/** Drives one UI session over the seed capture and checks what a user sees. */
async function driveSeedCapture(session: string): Promise<string> {
  let screen = await screenUntil((s) => s.includes('end of file'), 'the loaded capture', session);
  expect(screen).toMatch(/web-bridge-1 +> broadcast +ARP +who-has 172\.30\.0\.11 \(web-bridge-2\)/);
  expect(screen).toMatch(/web-bridge-1 +> web-bridge-2 +ICMP +echo request/);
  expect(screen).toMatch(/web-bridge-2 +> web-bridge-1 +ICMP +echo reply/);
  tmux('send-keys', '-t', session, 'g', 'Enter', 'Right', 'Right');
  screen = await screenUntil((s) => s.includes('▾ ARP'), 'the ARP layer of frame 1', session);
  expect(screen).toContain('operation 1 (request)');
  expect(screen).toMatch(/0000 {2}ff ff ff ff ff ff 02 42/);
  tmux('send-keys', '-t', session, '/');
  tmux('send-keys', '-t', session, '-l', 'icmp and web-bridge-2');
  tmux('send-keys', '-t', session, 'Enter');
  screen = await screenUntil((s) => s.includes('filter: icmp and web-bridge-2'), 'the filter applied', session);
  expect(screen).toContain('8 matching');
  tmux('send-keys', '-t', session, 'q');
  return screen;
}

describeLive('the UI in a real terminal (tmux)', { tools: ['tmux'] }, () => {
  beforeAll(() => {
    // A type error fails the suite: a build that does not compile is a regression, not a skip.
    execFileSync('npx', ['tsc', '-p', 'tsconfig.json', '--outDir', build], { cwd: ROOT, stdio: 'inherit' });
  }, 180_000);

  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      // the server is gone when every session has ended
    }
    rmSync(work, { recursive: true, force: true });
    rmSync(build, { recursive: true, force: true });
  });

  it('runTui shows names and ARP/ICMP lines, takes keys, and q exits 0 with the screen restored', async () => {
    const exitFile = startSession('driver', `node test/tui/tmux-driver.mjs ${build} captures/seed-ping.pcap`);
    await driveSeedCapture('driver');
    expect(await exitStatus(exitFile)).toBe(0);
    const after = tmux('capture-pane', '-p', '-t', 'driver');
    expect(after).toContain('bridgescope: 12 frames');
    expect(after).not.toContain('FOLLOWING');
  }, 60_000);

  it('bridgescope replay opens the UI on a terminal, and q exits 0', async () => {
    const exitFile = startSession('replay', `node ${build}/cli/main.js replay captures/seed-ping.pcap`);
    await driveSeedCapture('replay');
    expect(await exitStatus(exitFile)).toBe(0);
  }, 60_000);
});
