import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { openCaptureFile } from '../../src/pcap/open.js';
import { pcapFile } from './build-bytes.js';
import { readAll } from './read-all.js';

/**
 * Permission denied is real only for a user without CAP_DAC_OVERRIDE. As an ordinary user the
 * test reads a mode-000 file in-process; as root (CI) it transpiles the reader with TypeScript and
 * runs it as `nobody` on a file only root may read.
 */
const repo = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'bridgescope-perm-'));
chmodSync(dir, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const secret = join(dir, 'secret.pcap');
writeFileSync(secret, pcapFile({}, []));
chmodSync(secret, 0o000);

function transpile(folder: string, outRoot: string): void {
  for (const name of readdirSync(join(repo, folder))) {
    if (!name.endsWith('.ts')) continue;
    const src = readFileSync(join(repo, folder, name), 'utf8');
    const out = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    const target = join(outRoot, folder, name.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, out.outputText);
  }
}

describe('permission denied', () => {
  it('is a BS_PCAP_PERMISSION_DENIED naming the file', async () => {
    if (process.getuid?.() !== 0) {
      const { error } = await readAll(openCaptureFile(secret));
      expect([error?.code, error?.message]).toEqual(['BS_PCAP_PERMISSION_DENIED', expect.stringContaining(secret)]);
      return;
    }
    const build = join(dir, 'build');
    for (const folder of ['src', 'src/source', 'src/pcap']) transpile(folder, build);
    writeFileSync(join(build, 'package.json'), '{"type":"module"}');
    const script = `
      const { openCaptureFile } = await import(${JSON.stringify(join(build, 'src/pcap/open.js'))});
      try { for await (const b of openCaptureFile(${JSON.stringify(secret)})) {} console.log('no error'); }
      catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { uid: 65534, gid: 65534, encoding: 'utf8', timeout: 20_000 });
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout);
    expect(result.code).toBe('BS_PCAP_PERMISSION_DENIED');
    expect(result.message).toBe(`${secret}: permission denied (check the file mode, or read it as its owner) at byte offset 0`);
  });
});
