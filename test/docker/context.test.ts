import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contextOptions } from '../../src/docker/context.js';

function dockerConfig(current: string | undefined, contexts: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'bridgescope-ctx-'));
  if (current) writeFileSync(join(dir, 'config.json'), JSON.stringify({ currentContext: current }));
  for (const [name, host] of Object.entries(contexts)) {
    const meta = join(dir, 'contexts', 'meta', createHash('sha256').update(name).digest('hex'));
    mkdirSync(meta, { recursive: true });
    writeFileSync(join(meta, 'meta.json'), JSON.stringify({ Name: name, Endpoints: { docker: { Host: host } } }));
  }
  return dir;
}

describe('Docker context', () => {
  it('uses the current context of the Docker CLI config', () => {
    const dir = dockerConfig('lab', { lab: 'unix:///run/lab/docker.sock' });
    expect(contextOptions({ DOCKER_CONFIG: dir })).toEqual({ socketPath: '/run/lab/docker.sock' });
  });

  it('lets DOCKER_CONTEXT pick another, tcp endpoints included', () => {
    const dir = dockerConfig('lab', { lab: 'unix:///run/lab/docker.sock', remote: 'tcp://10.1.2.3:2376' });
    expect(contextOptions({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'remote' })).toEqual({ host: '10.1.2.3', port: 2376, protocol: 'http' });
  });

  it('leaves DOCKER_HOST, the default context and no config to dockerode', () => {
    const dir = dockerConfig('lab', { lab: 'unix:///run/lab/docker.sock' });
    expect(contextOptions({ DOCKER_CONFIG: dir, DOCKER_HOST: 'unix:///x.sock' })).toBeUndefined();
    expect(contextOptions({ DOCKER_CONFIG: dockerConfig('default', {}) })).toBeUndefined();
    expect(contextOptions({ DOCKER_CONFIG: join(dir, 'missing') })).toBeUndefined();
  });
});
