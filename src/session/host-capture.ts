import { hostIfIndex, type InterfaceEnd, type LiveCaptureSource, type CapCaptureSource } from '../capture/index.js';
import { HostMergeSource, type HostPart } from '../capture/host-merge-source.js';
import { RemoteCaptureSource } from '../capture/remote-source.js';
import { looksRemote, parseRemoteTarget, type RemoteTarget, type SshDestination } from '../capture/remote-target.js';

/** How remote targets (`host:target`) are reached: the user's ssh, with what they chose to add. */
export interface SshSettings {
  /** `--ssh-config FILE`: ssh's `-F`. */
  config?: string;
  /** `--ssh-option OPT`, each ssh's `-o OPT`. */
  options?: string[];
  /** Hosts named by `-H ssh://user@host:port`, so `host:target` connects as that user and port. */
  hosts?: ReadonlyMap<string, SshDestination>;
}

/** Targets of this machine and `host:target` ones; a local interface whose name has a colon (`eth0:1`) stays local. */
export function splitTargets(targets: readonly string[]): { local: string[]; remote: string[] } {
  const remote = targets.filter((t) => looksRemote(t) && hostIfIndex(t) === undefined);
  return { local: targets.filter((t) => !remote.includes(t)), remote };
}

/**
 * This machine's capture (if any target is local) and one ssh capture per remote target, on one
 * timeline. A remote that ends by itself is reported through `onEnd`; the rest go on. Bad target
 * text throws a UsageError before any ssh is started.
 */
export function joinHosts(
  local: LiveCaptureSource | CapCaptureSource | undefined,
  remote: readonly string[],
  opts: { filter?: string; snaplen?: number; ssh?: SshSettings; holdOpen?: boolean; onEnd: (end: InterfaceEnd) => void; parts?: readonly HostPart[] },
): { capture: HostMergeSource; remotes: RemoteCaptureSource[] } {
  const parsed = remote.map((t) => parseRemoteTarget(t, opts.ssh?.hosts));
  const remotes: RemoteCaptureSource[] = [];
  try {
    for (const r of parsed) remotes.push(remoteSource(r, opts));
  } catch (err) {
    for (const r of remotes) void r.close();
    throw err;
  }
  const parts: HostPart[] = [...remotes.map((r) => ({ source: r, ended: () => r.ended })), ...(opts.parts ?? [])];
  if (local) parts.unshift({ source: local, addInterface: (name) => local.addInterface(name), endReasons: () => local.endReasons() });
  return { capture: new HostMergeSource(parts, { onInterfaceEnd: opts.onEnd, holdOpen: opts.holdOpen }), remotes };
}

/** One `host:target` captured over ssh; bad target text throws a UsageError before ssh starts. */
export function openRemote(spec: string, opts: { filter?: string; snaplen?: number; ssh?: SshSettings }): RemoteCaptureSource {
  return remoteSource(parseRemoteTarget(spec, opts.ssh?.hosts), opts);
}

function remoteSource(r: RemoteTarget, opts: { filter?: string; snaplen?: number; ssh?: SshSettings }): RemoteCaptureSource {
  return new RemoteCaptureSource(r, { filter: opts.filter, snaplen: opts.snaplen, config: opts.ssh?.config, options: opts.ssh?.options });
}
