import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { DockerOptions } from 'dockerode';

/**
 * Where the Docker CLI would connect: DOCKER_HOST wins (docker-modem reads it itself), then the
 * context named by DOCKER_CONTEXT or by `currentContext` in ~/.docker/config.json, whose endpoint
 * lives in ~/.docker/contexts/meta/<sha256 of the name>/meta.json. Undefined means dockerode's
 * default (DOCKER_HOST or /var/run/docker.sock).
 */
export function contextOptions(env: NodeJS.ProcessEnv = process.env): DockerOptions | undefined {
  if (env.DOCKER_HOST) return undefined;
  const dir = env.DOCKER_CONFIG ?? join(homedir(), '.docker');
  const name = env.DOCKER_CONTEXT ?? readJson(join(dir, 'config.json'))?.currentContext;
  if (typeof name !== 'string' || name === '' || name === 'default') return undefined;
  const host = contextEndpoint(name, env);
  if (host === undefined) return undefined;
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  const url = new URL(host.replace(/^tcp:/, 'http:'));
  return { host: url.hostname, port: Number(url.port || 2375), protocol: 'http' };
}

/** The Docker endpoint URL of context `name` (unix://, tcp://, ssh://), or undefined when there is none. */
export function contextEndpoint(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = env.DOCKER_CONFIG ?? join(homedir(), '.docker');
  const id = createHash('sha256').update(name).digest('hex');
  const host = readJson(join(dir, 'contexts', 'meta', id, 'meta.json'))?.Endpoints?.docker?.Host;
  return typeof host === 'string' ? host : undefined;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function readJson(path: string): any {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}
