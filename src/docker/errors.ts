import { BridgescopeError, type ErrorCode, type WrapOptions } from '../errors.js';

/**
 * Docker could not be reached or refused us. `code` says which, so callers can decide to go on
 * without names (capture) or stop (lab, topology):
 * BS_DOCKER_NO_SOCKET, BS_DOCKER_PERMISSION, BS_DOCKER_DOWN, BS_DOCKER_NOT_FOUND, BS_DOCKER_API.
 */
export class DockerError extends BridgescopeError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly statusCode?: number,
    options?: WrapOptions,
  ) {
    super(code, message, 2, options);
  }
}

interface RawDockerFailure {
  code?: string;
  statusCode?: number;
  message?: string;
  json?: { message?: string } | null;
}

/** Turns what dockerode / docker-modem / net throw into a DockerError naming the fix. */
export function wrapDockerError(err: unknown, where: string, action: string): DockerError {
  if (err instanceof DockerError) return err;
  const raw = (typeof err === 'object' && err !== null ? err : {}) as RawDockerFailure;
  const cause = { cause: err };
  switch (raw.code) {
    case 'ENOENT':
      return new DockerError(
        'BS_DOCKER_NO_SOCKET',
        `no Docker socket at ${where}; start dockerd or set DOCKER_HOST`,
        undefined,
        cause,
      );
    case 'EACCES':
    case 'EPERM':
      return new DockerError(
        'BS_DOCKER_PERMISSION',
        `permission denied on ${where}; run as root or join the docker group`,
        undefined,
        cause,
      );
    case 'ECONNREFUSED':
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ETIMEDOUT':
      return new DockerError('BS_DOCKER_DOWN', `Docker daemon at ${where} is not answering (${raw.code}); is dockerd running?`, undefined, cause);
  }
  const detail = raw.json?.message ?? raw.message ?? String(err);
  const oneLine = detail.replace(/\s+/g, ' ').trim();
  if (raw.statusCode === 404) {
    return new DockerError('BS_DOCKER_NOT_FOUND', `${action}: ${oneLine}`, 404, cause);
  }
  return new DockerError('BS_DOCKER_API', `${action}: ${oneLine}`, raw.statusCode, cause);
}
