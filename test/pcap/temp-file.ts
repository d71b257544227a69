import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A temporary folder for this test file, removed after its tests. */
export function tempDir(): (name: string, bytes?: Uint8Array) => string {
  const dir = mkdtempSync(join(tmpdir(), 'bridgescope-pcap-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return (name, bytes) => {
    const path = join(dir, name);
    if (bytes) writeFileSync(path, bytes);
    return path;
  };
}
