import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DockerOptions } from 'dockerode';
import type { Endpoint, Resolver } from '../model/endpoint.js';
import type { Topology } from '../model/topology.js';
import { UsageError } from '../errors.js';
import { DockerClient, dockerode } from './client.js';
import { contextEndpoint } from './context.js';
import { LiveResolver, type LiveResolverOptions, type TopologyChange } from './live-resolver.js';

/** One Docker daemon to take names from: what `-H URL` or `--context NAME` named. */
export interface Daemon {
  /** The host's name on every name it gives: the context name, the URL's host, or the socket's file name. */
  name: string;
  options: DockerOptions;
}

/**
 * A daemon URL as the Docker CLI takes it: `unix:///path`, `tcp://host:port` (TLS when
 * DOCKER_TLS_VERIFY is set, with ca/cert/key.pem from DOCKER_CERT_PATH, as the CLI does) or
 * `ssh://[user@]host[:port]` (dockerode's ssh transport: the remote runs `docker system dial-stdio`,
 * so the docker CLI must be installed there, not here; keys come from SSH_AUTH_SOCK's agent).
 */
export function daemonFromUrl(url: string, env: NodeJS.ProcessEnv = process.env, name?: string): Daemon {
  const bad = (why: string) => new UsageError(`-H ${url}: ${why} (expected unix:///path, tcp://host:port or ssh://[user@]host[:port])`);
  if (url.startsWith('unix://')) {
    const socketPath = url.slice('unix://'.length);
    if (!socketPath.startsWith('/')) throw bad('the socket path must be absolute');
    return { name: name ?? basename(socketPath).replace(/\.sock$/, ''), options: { socketPath } };
  }
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw bad('not a URL');
  }
  if (!u.hostname) throw bad('no host');
  if (u.protocol === 'tcp:') {
    const tls = env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== '';
    const options: DockerOptions = { host: u.hostname, port: Number(u.port || (tls ? 2376 : 2375)), protocol: tls ? 'https' : 'http' };
    if (tls) {
      const dir = env.DOCKER_CERT_PATH ?? join(env.HOME ?? '', '.docker');
      const pem = (f: string) => {
        try {
          return readFileSync(join(dir, f));
        } catch {
          throw new UsageError(`-H ${url}: DOCKER_TLS_VERIFY is set but ${join(dir, f)} cannot be read (set DOCKER_CERT_PATH)`);
        }
      };
      Object.assign(options, { ca: pem('ca.pem'), cert: pem('cert.pem'), key: pem('key.pem') });
    }
    return { name: name ?? u.hostname, options };
  }
  if (u.protocol === 'ssh:') {
    const options: DockerOptions = { protocol: 'ssh', host: u.hostname, port: Number(u.port || 22), sshOptions: { agent: env.SSH_AUTH_SOCK } };
    if (u.username) options.username = decodeURIComponent(u.username);
    return { name: name ?? u.hostname, options };
  }
  throw bad(`unknown scheme ${u.protocol}`);
}

/** A Docker CLI context by name (~/.docker/contexts), named after the context. */
export function daemonFromContext(context: string, env: NodeJS.ProcessEnv = process.env): Daemon {
  const host = contextEndpoint(context, env);
  if (!host) throw new UsageError(`--context ${context}: no such Docker context (docker context ls lists them)`);
  return daemonFromUrl(host, env, context);
}

/** Every daemon `-H` and `--context` named, in order; two of one name would make names ambiguous. */
export function daemonsFrom(hosts: readonly string[] = [], contexts: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): Daemon[] {
  const all = [...hosts.map((h) => daemonFromUrl(h, env)), ...contexts.map((c) => daemonFromContext(c, env))];
  const seen = new Set<string>();
  for (const d of all) {
    if (seen.has(d.name)) throw new UsageError(`two Docker hosts are both called '${d.name}': give each -H a distinct socket or host`);
    seen.add(d.name);
  }
  return all;
}

/**
 * Names from several daemons at once: one LiveResolver per daemon (each names with its host), asked
 * in the order given; the first that knows an address names it. Overlay endpoints of one network
 * have distinct addresses across hosts, so the order matters only for addresses two hosts reuse on
 * their own bridges (a frame there carries no VNI to tell them apart).
 */
export class DaemonsResolver implements Resolver {
  private constructor(readonly daemons: readonly LiveResolver[]) {}

  static async start(daemons: readonly Daemon[], opts: Omit<LiveResolverOptions, 'client' | 'host'> = {}): Promise<DaemonsResolver> {
    const live = await Promise.all(daemons.map((d) => LiveResolver.start({ ...opts, client: new DockerClient(new (dockerode())(d.options)), host: d.name })));
    return new DaemonsResolver(live);
  }

  byMac(mac: number, tsSec?: number): Endpoint | undefined {
    for (const d of this.daemons) {
      const e = d.byMac(mac, tsSec);
      if (e) return e;
    }
    return undefined;
  }
  byIpv4(ip: number, tsSec?: number): Endpoint | undefined {
    for (const d of this.daemons) {
      const e = d.byIpv4(ip, tsSec);
      if (e) return e;
    }
    return undefined;
  }
  byIpv6(bytes: Uint8Array, offset: number, tsSec?: number): Endpoint | undefined {
    for (const d of this.daemons) {
      const e = d.byIpv6(bytes, offset, tsSec);
      if (e) return e;
    }
    return undefined;
  }
  /** Interface indexes are one host's: only a daemon on the capturing host could own them, the first. */
  byIfIndex(hostIfIndex: number, tsSec?: number): Endpoint | undefined {
    return this.daemons[0]?.byIfIndex(hostIfIndex, tsSec);
  }

  /** One snapshot of every host: their networks, containers and endpoints, each endpoint with its host. */
  snapshot(): Topology | undefined {
    const parts = this.daemons.map((d, i) => ({ t: d.snapshot(), host: d.names.hostName ?? String(i) })).filter((p) => p.t);
    if (parts.length === 0) return undefined;
    const first = parts[0].t!;
    const byId = <T extends { id: string }>(xs: T[]) => [...new Map(xs.map((x) => [x.id, x])).values()];
    return {
      ...first,
      networks: byId(parts.flatMap((p) => p.t!.networks)),
      containers: byId(parts.flatMap((p) => p.t!.containers)),
      endpoints: parts.flatMap((p) => p.t!.endpoints.map((e) => ({ ...e, host: e.host ?? p.host }))),
    };
  }

  /** A change on any host, with the whole view of every host after it (what a capture writes and follows). */
  onChange(listener: (change: TopologyChange) => void): () => void {
    const offs = this.daemons.map((d) => d.onChange((change) => {
      const topology = this.snapshot();
      if (topology) listener({ ...change, topology });
    }));
    return () => offs.forEach((off) => off());
  }

  async close(): Promise<void> {
    await Promise.all(this.daemons.map((d) => d.close()));
  }
}
