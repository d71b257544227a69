import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BridgescopeError, ERROR_CODES } from '../src/errors.js';
import { wrapDockerError } from '../src/docker/errors.js';
import { captureOpenError } from '../src/capture/live-source.js';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** Every BS_ code written in src/ outside the catalogue's list (errors.ts's own classes count), with where it is. */
function codesInSource(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of sources(SRC)) {
    let text = readFileSync(file, 'utf8');
    if (relative(SRC, file) === 'errors.ts') text = text.slice(text.indexOf('] as const;'));
    for (const m of text.matchAll(/\bBS_[A-Z0-9_]+\b/g)) found.set(m[0], relative(SRC, file));
  }
  return found;
}

describe('the error catalogue (src/errors.ts)', () => {
  it('lists every BS_ code that src/ uses', () => {
    const catalogue = new Set<string>(ERROR_CODES);
    const unknown = [...codesInSource()].filter(([code]) => !catalogue.has(code));
    expect(unknown).toEqual([]);
  });

  it('lists no code twice and none that src/ never uses', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    const used = codesInSource();
    expect(ERROR_CODES.filter((c) => !used.has(c))).toEqual([]);
  });

  it('keeps the wrapped error as cause (Docker, libpcap)', () => {
    const raw = Object.assign(new Error('connect ENOENT /var/run/docker.sock'), { code: 'ENOENT' });
    const docker = wrapDockerError(raw, '/var/run/docker.sock', 'list containers');
    expect(docker).toBeInstanceOf(BridgescopeError);
    expect(docker.code).toBe('BS_DOCKER_NO_SOCKET');
    expect(docker.cause).toBe(raw);
    const pcap = Object.assign(new Error('eth9: permission denied'), { code: 'PCAP_PERM_DENIED' });
    const capture = captureOpenError(pcap, 'eth9');
    expect((capture as BridgescopeError).code).toBe('BS_CAPTURE_PERMISSION');
    expect(capture.cause).toBe(pcap);
  });
});
