import { createRequire } from 'node:module';
import type Docker from 'dockerode';
import { contextOptions } from './context.js';
import { wrapDockerError } from './errors.js';

/**
 * The one place that talks to the Docker Engine API: DOCKER_HOST (unix://, tcp://), else the
 * current Docker context's endpoint, else /var/run/docker.sock. Every call goes through `call`,
 * which wraps failures into DockerError and counts calls: the annotator promises Docker is asked
 * once per container lifetime, never per frame, and tests check that count.
 */
export class DockerClient {
  readonly api: Docker;
  /** Where we connect, for messages: a socket path or host:port. */
  readonly where: string;
  calls = 0;

  constructor(api?: Docker) {
    this.api = api ?? new (dockerode())(contextOptions());
    const m = this.api.modem as unknown as { socketPath?: unknown; host?: string; port?: number | string };
    this.where =
      typeof m.socketPath === 'string' ? m.socketPath : m.host ? `${m.host}:${m.port ?? ''}` : '/var/run/docker.sock';
  }

  async call<T>(action: string, fn: (api: Docker) => Promise<T>): Promise<T> {
    this.calls++;
    try {
      return await fn(this.api);
    } catch (err) {
      throw wrapDockerError(err, this.where, action);
    }
  }

  inspectContainer(id: string): Promise<Docker.ContainerInspectInfo> {
    return this.call(`inspect container ${id}`, (d) => d.getContainer(id).inspect());
  }

  inspectNetwork(id: string): Promise<NetworkInspect> {
    return this.call(`inspect network ${id}`, (d) => d.getNetwork(id).inspect() as Promise<NetworkInspect>);
  }

  listNetworks(): Promise<NetworkInspect[]> {
    return this.call('list networks', (d) => d.listNetworks() as Promise<NetworkInspect[]>);
  }

  listContainers(all = false): Promise<Docker.ContainerInfo[]> {
    return this.call('list containers', (d) => d.listContainers({ all }));
  }

  /** `docker info`: the daemon's hostname and, on a Swarm node, its node address. */
  info(): Promise<DaemonInfo> {
    return this.call('info', (d) => d.info() as Promise<DaemonInfo>);
  }

  version(): Promise<Docker.DockerVersion> {
    return this.call('version', (d) => d.version());
  }
}

/**
 * dockerode's constructor, loaded on first use: with ssh2, gRPC and protobufjs it is most of the
 * CLI's start-up cost (~0.4 CPU s), which a replay without Docker never needs.
 */
export function dockerode(): typeof Docker {
  return createRequire(import.meta.url)('dockerode') as typeof Docker;
}

/** The parts of `docker network inspect` we read (dockerode's own type is loose). */
export interface NetworkInspect {
  Id: string;
  Name: string;
  Driver: string;
  Options?: Record<string, string>;
  Labels?: Record<string, string>;
  EnableIPv6?: boolean;
  IPAM?: { Config?: Array<{ Subnet?: string; Gateway?: string }> };
  Containers?: Record<string, { Name: string; MacAddress: string; IPv4Address: string }>;
  /** An overlay's nodes, by their underlay address (Swarm gossip; present where the network is in use). */
  Peers?: Array<{ Name: string; IP: string }> | null;
}

/** The parts of `docker info` we read. */
export interface DaemonInfo {
  Name?: string;
  ServerVersion?: string;
  Swarm?: { NodeID?: string; NodeAddr?: string; LocalNodeState?: string; ControlAvailable?: boolean };
}

let shared: DockerClient | undefined;

/** A process-wide client; commands share it so a run counts its Docker calls in one place. */
export function dockerClient(): DockerClient {
  shared ??= new DockerClient();
  return shared;
}
