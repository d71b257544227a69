import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { CliProcess } from './cli-process.js';
import { seedLabDown, seedLabUp } from './docker-lab.js';

export interface SeedLabSuite {
  /** A CLI process, killed after its test if it is still running. */
  cli(args: string[], env?: NodeJS.ProcessEnv): CliProcess;
  /** A path in the suite's own temp folder (removed after the suite). */
  path(name: string): string;
}

/** The seed lab around a describe block: up before, down after, a temp folder, CLI processes reaped. */
export function seedLabSuite(tempPrefix: string): SeedLabSuite {
  let dir = '';
  const running: CliProcess[] = [];
  beforeAll(async () => {
    await seedLabUp();
    dir = await mkdtemp(join(tmpdir(), tempPrefix));
  });
  afterEach(() => {
    for (const p of running.splice(0)) p.kill();
  });
  afterAll(async () => {
    await seedLabDown();
    await rm(dir, { recursive: true, force: true });
  });
  return {
    cli: (args, env) => {
      const p = new CliProcess(args, env);
      running.push(p);
      return p;
    },
    path: (name) => join(dir, name),
  };
}
