import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { rm } from 'node:fs/promises';

/**
 * A unix-socket relay to the real Docker socket. Tests point a DockerClient at it and `stop()` it
 * to make "the daemon went away" for that client only: the shared dockerd keeps running for
 * everyone else on the machine.
 */
export class SocketProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly path: string,
    private readonly target = '/var/run/docker.sock',
  ) {}

  async start(): Promise<void> {
    await rm(this.path, { force: true });
    this.server = createServer((client) => {
      const upstream = createConnection(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(this.path, resolve));
  }

  /** Closes the listener and cuts every open connection (event streams end). */
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
    await rm(this.path, { force: true });
  }
}
