#!/usr/bin/env node
// The package as a user gets it: `npm pack` of the working tree (its own clean build, so stale
// files in dist/ cannot hide a missing one), installed offline into a fresh ESM project with
// vitest and TypeScript (this repository's versions), type-checked with `strict` and `skipLibCheck: false`, then its tests run.
// Exit 0 when all of it holds; else the failing step's output and exit 1.
// Usage: node test/consumer/check.mjs [--keep]   (--keep leaves the temporary folder for a look)
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'bridgescope-consumer-'));
const keep = process.argv.includes('--keep');

function run(step, cmd, args, cwd) {
  const t = Date.now();
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false', NO_COLOR: '1', FORCE_COLOR: '0' } });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  console.log(`== ${step} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  if (r.status !== 0) {
    console.log(out);
    finish(1, `${step} failed (exit ${r.status ?? r.signal})`);
  }
  return out;
}

function finish(code, message) {
  if (!keep) rmSync(work, { recursive: true, force: true });
  else console.log(`left in ${work}`);
  console.log(message);
  process.exit(code);
}

// 1. A copy of the working tree (tracked and new files, as git sees them) packed as npm would.
const stage = join(work, 'stage');
const files = run('list the working tree', 'git', ['ls-files', '-co', '--exclude-standard', '-z'], repo).split('\0').filter(Boolean);
for (const f of files) {
  try {
    mkdirSync(dirname(join(stage, f)), { recursive: true });
    cpSync(join(repo, f), join(stage, f));
  } catch (err) {
    if (err.code !== 'ENOENT') throw err; // deleted in the work tree, not yet in the index
  }
}
symlinkSync(join(repo, 'node_modules'), join(stage, 'node_modules'));
run('npm pack (prepare builds dist/)', 'npm', ['pack', '--silent', '--pack-destination', work], stage);
const tarball = join(work, readdirSync(work).find((f) => f.endsWith('.tgz')));

const listed = run('list the tarball', 'tar', ['tzf', tarball], work).split('\n').filter(Boolean);
const stray = listed.filter((p) => /^package\/(test|src|lab|\.ci|node_modules|native\/build)\//.test(p) || p.endsWith('.test.js'));
if (stray.length) finish(1, `the tarball ships what a user does not need:\n${stray.slice(0, 20).join('\n')}`);
for (const need of ['package/dist/index.d.ts', 'package/dist/vitest/matchers.d.ts', 'package/captures/seed-ping.pcapng', 'package/native/binding.gyp']) {
  if (!listed.includes(need)) finish(1, `the tarball lacks ${need}`);
}

// 2. The consumer project. `npm install --offline` cannot resolve here (the npm cache holds the
// tarballs of our lockfile, not the registry documents an unlocked install asks for), so the
// install is done as npm lays it out: the tarball unpacked into node_modules/bridgescope, and
// beside it only what its package.json declares (plus the project's vitest, typescript and
// @types/node), linked from this repository's node_modules. A dependency we use but forgot to
// declare is then missing, as it would be for a user.
const project = join(work, 'project');
cpSync(join(repo, 'test', 'consumer', 'project'), project, { recursive: true });
const installed = join(project, 'node_modules', 'bridgescope');
mkdirSync(installed, { recursive: true });
run('unpack the tarball into node_modules', 'tar', ['xzf', tarball, '-C', installed, '--strip-components=1'], work);
const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
const linked = [...Object.keys(manifest.dependencies ?? {}), 'vitest', 'typescript', '@types/node'];
for (const name of linked) {
  const to = join(project, 'node_modules', name);
  mkdirSync(dirname(to), { recursive: true });
  symlinkSync(join(repo, 'node_modules', name), to);
}
console.log(`== linked ${linked.join(', ')}`);

// 3. What the user runs.
const bin = (name) => join(project, 'node_modules', name);
run('tsc (strict, skipLibCheck: false)', process.execPath, [join(bin('typescript'), 'bin', 'tsc'), '-p', 'tsconfig.json'], project);
const tests = run('vitest run', process.execPath, [join(bin('vitest'), 'vitest.mjs'), 'run'], project);
const passed = /Tests\s+(\d+) passed/.exec(tests);
finish(0, `consumer project: types check, ${passed ? passed[1] : '?'} tests passed`);
