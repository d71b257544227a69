import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CliProcess } from '../lab/cli-process.js';
import { labExec, seedLabDown, seedLabUp } from '../lab/docker-lab.js';
import { describeLive } from '../support/live.js';

const dir = mkdtempSync(join(tmpdir(), 'bridgescope-assert-'));

function expectation(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** `assert TARGET --duration D` while the action runs: exit 0 met, 1 not met with the report. */
async function assertWhilePinging(file: string): Promise<CliProcess & { code: number | null }> {
  const p = new CliProcess(['assert', '--expect', file, 'br_xx', '--duration', '4s']);
  try {
    await p.started();
    labExec('web-bridge-1', ['ping', '-c', '2', '172.30.0.11']);
    const { code } = await p.exited;
    return Object.assign(p, { code });
  } finally {
    p.kill();
  }
}

describeLive('bridgescope assert on a live target', { root: true, docker: true }, () => {
  beforeAll(async () => {
    await seedLabUp();
  });
  afterAll(async () => {
    await seedLabDown();
  });

  it('exits 0 when the live frames meet the expectation', async () => {
    const p = await assertWhilePinging(expectation('met.txt', 'icmp echo-request web-bridge-1 -> web-bridge-2 at least 2\nicmp echo-reply web-bridge-2 -> web-bridge-1\n'));
    expect(p.code).toBe(0);
    expect(p.stderr).toContain('capturing on network br_xx');
  });

  it('exits 1 with the report when they do not', async () => {
    const p = await assertWhilePinging(expectation('unmet.txt', 'icmp echo-request web-bridge-2 -> web-default\n'));
    expect(p.code).toBe(1);
    expect(p.stdout + p.stderr).toMatch(/NOT met/);
    expect(p.stdout + p.stderr).toContain('web-default');
  });
});
