import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { openCaptureStream } from '../pcap/open.js';
import type { CaptureFileSource } from '../pcap/capture-file-source.js';
import type { CaptureInterface, CaptureSource, CaptureStats, FrameBatch } from '../source/frame-batch.js';
import { readTcpdumpCounter } from './tcpdump-counters.js';
import { CaptureFailedError } from './errors.js';
import type { InterfaceEnd } from './merged-source.js';
import { type RemoteCommandOptions, type RemoteTarget, remoteScript, shellQuote, type SshCommandOptions, sshArgs } from './remote-target.js';

export interface RemoteCaptureOptions extends RemoteCommandOptions, SshCommandOptions {
  /** The OpenSSH client to run; default `ssh` on PATH. */
  sshBinary?: string;
}

/**
 * Without a keepalive of the user's own, a connection whose link went down would hang until TCP
 * gives up (many minutes); with this one ssh ends after about 6 s of silence from the server.
 */
const KEEPALIVE = ['ServerAliveInterval=2', 'ServerAliveCountMax=3'];
/** How long a stop waits for the remote to send its counters and exit before ssh is killed. */
const STOP_GRACE_MS = 3000;
const STDERR_LINES_KEPT = 20;
/** What tcpdump and bridgescope say on standard error when all goes well. */
const ROUTINE = [
  /^tcpdump: (listening on|verbose output suppressed)/,
  /^\d+ packets? captured$/,
  /^bridgescope: capturing on /,
  /^\d+ frames captured( \(written to standard output\))?$/,
  /^\S+: \d+ received by filter, \d+ dropped by kernel, \d+ dropped by interface$/,
];

/**
 * One target captured on another host over ssh (see remote-target.ts for the remote's side). The
 * stream is read by the same pcap/pcapng reader as a file or `replay -`; its interfaces are named
 * `host:<target>` (tcpdump's pcap, or bridgescope's pcapng of that interface) or
 * `host:<target>/<interface>` (bridgescope's of a container's or network's interfaces) and carry
 * `host`. Counters: the pcapng's ISBs, else tcpdump's lines on standard error. When the stream
 * ends, `ended` says why unless we asked it to stop: ssh's or the remote's last words and the
 * exit status.
 */
export class RemoteCaptureSource implements CaptureSource {
  readonly label: string;
  private readonly child: ChildProcess;
  private readonly reader: CaptureFileSource;
  private readonly stderrTail: string[] = [];
  private stderrRest = '';
  private counters: Omit<CaptureStats, 'interface'> = { received: 0, droppedByKernel: 0, droppedByInterface: 0 };
  private stopping = false;
  private spawnError?: Error;
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Why the stream ended by itself; set once it has. */
  ended?: InterfaceEnd;

  constructor(
    readonly remote: RemoteTarget,
    opts: RemoteCaptureOptions = {},
  ) {
    this.label = `${remote.host}:${remote.target}`;
    const ssh = opts.sshBinary ?? 'ssh';
    const options = [...(opts.options ?? [])];
    if (!hasKeepalive(ssh, remote, opts)) options.push(...KEEPALIVE);
    const command = `exec sh -c ${shellQuote(remoteScript(remote.target, opts))}`;
    this.child = spawn(ssh, sshArgs(remote.ssh, command, { config: opts.config, options }), { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.on('error', (err) => (this.spawnError = err));
    this.child.stdin!.on('error', () => undefined); // the remote may be gone when we end its input
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (s: string) => this.onStderr(s));
    this.exited = new Promise((resolve) => this.child.on('close', (code, signal) => resolve({ code, signal })));
    this.reader = openCaptureStream(this.child.stdout!, this.label);
  }

  /** The stream's interfaces as declared so far (tcpdump's pcap: one), named and tagged with the host. */
  get interfaces(): readonly CaptureInterface[] {
    for (const i of this.reader.interfaces) this.tag(i);
    return this.reader.interfaces;
  }

  /** Each ISB's counters (the last per interface: bridgescope writes one at its end), else tcpdump's. */
  stats(): CaptureStats[] {
    const isb = this.reader.meta.interfaceStats;
    if (isb.length === 0) return [{ interface: this.label, ...this.counters }];
    const byInterface = new Map(isb.map((s) => [s.ifIndex, s]));
    const named = this.interfaces;
    return [...byInterface.values()].map((s) => ({
      interface: named[s.ifIndex]?.name ?? this.label,
      received: Number(s.received ?? 0n),
      droppedByKernel: Number(s.osDropped ?? 0n),
      droppedByInterface: Number(s.ifDropped ?? 0n),
    }));
  }

  /** Asks the remote to stop (its capture ends and sends its counters), then waits for ssh to exit. */
  async close(): Promise<void> {
    this.stopping = true;
    if (this.child.exitCode !== null || this.child.signalCode !== null || this.spawnError) return;
    this.child.stdin!.end();
    const kill = setTimeout(() => this.child.kill('SIGTERM'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(kill);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<FrameBatch> {
    let streamError: Error | undefined;
    try {
      for await (const b of this.reader) {
        for (const i of b.interfaces) this.tag(i);
        yield b;
      }
    } catch (err) {
      // A connection cut inside a record: ssh's own words below say more than the reader's.
      streamError = err as Error;
    }
    const exit = this.spawnError ? { code: null, signal: null } : await this.exited;
    if (this.stopping && !streamError) return;
    this.ended = { interface: this.label, ...this.reason(exit, streamError) };
  }

  /** The stream names its interfaces (pcapng) or not (pcap); the target's own keeps the target's name. */
  private tag(i: CaptureInterface): void {
    if (i.host !== undefined) return;
    const { host, target } = this.remote;
    i.host = host;
    i.name = i.name === undefined || i.name === target ? `${host}:${target}` : `${host}:${target}/${i.name}`;
  }

  private reason(exit: { code: number | null; signal: NodeJS.Signals | null }, streamError?: Error): { reason: string; code: string } {
    if (this.spawnError) return { reason: `cannot run ssh (${this.spawnError.message}): install openssh-client`, code: 'SSH_SPAWN' };
    const said = this.stderrTail.at(-1);
    const how = exit.signal ? `ssh ended by ${exit.signal}` : `ssh exited with ${exit.code}`;
    if (exit.code === 255) return { reason: `${said ?? 'connection lost'} (${how})`, code: 'SSH_CONNECTION' };
    if (exit.code === 0 && !streamError) return { reason: `the remote capture ended (${said ?? 'no reason given'})`, code: 'REMOTE_EXIT' };
    return { reason: `${said ?? streamError?.message ?? 'the remote capture failed'} (${how})`, code: 'REMOTE_EXIT' };
  }

  /**
   * Keeps tcpdump's counters and the last lines of anything else ssh or the remote said but a
   * remote bridgescope's routine lines (its start, its closing counters: the ISBs carry those).
   */
  private onStderr(chunk: string): void {
    const lines = (this.stderrRest + chunk).split('\n');
    this.stderrRest = lines.pop() ?? '';
    for (const raw of lines) {
      const line = raw.replace(/\r$/, '').trim();
      if (readTcpdumpCounter(line, this.counters)) continue;
      if (line === '' || ROUTINE.some((r) => r.test(line))) continue;
      this.stderrTail.push(line);
      if (this.stderrTail.length > STDERR_LINES_KEPT) this.stderrTail.shift();
    }
  }
}

/** Whether the user's ssh configuration for this host sets a keepalive already (`ssh -G` prints what applies). */
function hasKeepalive(ssh: string, remote: RemoteTarget, opts: RemoteCaptureOptions): boolean {
  const args = sshArgs(remote.ssh, '', { config: opts.config, options: opts.options }).slice(0, -1);
  let effective: string;
  try {
    effective = execFileSync(ssh, ['-G', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new CaptureFailedError(`${remote.host}:${remote.target}`, 'no ssh client here (apt-get install openssh-client)', { cause: err });
    throw new CaptureFailedError(`${remote.host}:${remote.target}`, `ssh does not accept its configuration: ${(e.stderr ?? e.message).trim().split('\n')[0]}`, { cause: err });
  }
  return /^serveraliveinterval [1-9]/m.test(effective);
}
