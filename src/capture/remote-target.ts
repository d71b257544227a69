import { UsageError } from '../errors.js';

/**
 * A capture target on another machine, `host:target`: captured there through the user's own
 * OpenSSH client (their keys, agent and ~/.ssh/config; we store nothing), the frames streamed back
 * on ssh's standard output.
 */
export interface RemoteTarget {
  /** The host as the user wrote it: the prefix of every interface captured there. */
  host: string;
  /** An interface of that host, or a container its Docker daemon knows. */
  target: string;
  ssh: SshDestination;
}

/** Where ssh connects: a name ssh resolves itself (an alias of ssh_config, a host name), user and port if given. */
export interface SshDestination {
  host: string;
  user?: string;
  port?: number;
}

/**
 * Container and interface names are made of these, and nothing else reaches the remote shell:
 * the target is put into a script there, so it is checked here rather than quoted.
 */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const HOST = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Whether a target is written as a remote one (the caller first rules out local names with a colon, `eth0:1`). */
export function looksRemote(spec: string): boolean {
  return spec.indexOf(':') > 0;
}

/**
 * `host:target` to what ssh needs. `hosts` maps a host name to an ssh destination (from `-H
 * ssh://user@host:port`); any other host is handed to ssh as it is, which resolves aliases.
 */
export function parseRemoteTarget(spec: string, hosts: ReadonlyMap<string, SshDestination> = new Map()): RemoteTarget {
  const colon = spec.indexOf(':');
  const host = spec.slice(0, colon);
  const target = spec.slice(colon + 1);
  if (!HOST.test(host)) throw new UsageError(`remote target '${spec}': '${host}' is not a host name (host:target, e.g. dh2:br0)`);
  if (!NAME.test(target)) throw new UsageError(`remote target '${spec}': '${target}' is not an interface or container name (letters, digits, _ . -)`);
  return { host, target, ssh: hosts.get(host) ?? { host } };
}

/** Remote hosts named by `-H ssh://[user@]host[:port]` URLs, by the URL's host. */
export function sshHostsFrom(urls: readonly string[]): Map<string, SshDestination> {
  const out = new Map<string, SshDestination>();
  for (const url of urls) {
    if (!url.startsWith('ssh://')) continue;
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      continue; // the daemon list reports a bad URL with its own words
    }
    out.set(u.hostname, { host: u.hostname, user: u.username ? decodeURIComponent(u.username) : undefined, port: u.port ? Number(u.port) : undefined });
  }
  return out;
}

export interface RemoteCommandOptions {
  filter?: string;
  snaplen?: number;
}

/** Quotes one word for a POSIX shell. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * What `bridgescope capture --help` says of `-w -` (the CLI's help text is built from this): the
 * remote script's probe for a bridgescope that can stream, whatever its version.
 */
export const STREAM_MARK = 'pcapng to standard output';

/**
 * The script the remote runs (in `sh`, whatever the login shell). Lines of ours begin
 * `bridgescope-remote:`.
 *
 * With a bridgescope on the remote's PATH that streams (`capture -w -`: pcapng, nanosecond
 * times, one IDB per interface, an ISB with the drop counts of each at the end), that runs in
 * the foreground on ssh's standard input, whose end (our close, or the connection gone) stops it.
 * An interface, or a name bridgescope resolves there (a network), is captured as it is; a
 * container is entered (`docker inspect` for its pid, its network namespace through nsenter, a
 * mount namespace of its own whose /sys shows that network namespace, as `ip netns exec` does)
 * and every interface it has but lo is captured.
 *
 * Else tcpdump: a container's eth0 only, nanosecond pcap, each packet as it comes
 * (--immediate-mode: else the kernel holds frames up to a second; -U: one write per packet), its
 * counters on standard error when it ends. When our end closes ssh's standard input (or the
 * connection drops), tcpdump is stopped with SIGTERM, which it answers with its counters (SIGINT
 * would be ignored: the shell starts it in the background).
 */
export function remoteScript(target: string, opts: RemoteCommandOptions = {}): string {
  const filter = opts.filter ? ` ${shellQuote(opts.filter)}` : '';
  return [
    `T=${target}; I=$T`,
    // Help text is wrapped to the width at hand: spaces and line ends are squeezed before the match.
    `if command -v bridgescope >/dev/null 2>&1 && bridgescope capture --help 2>/dev/null | tr -s ' \\n' '  ' | grep -qF ${shellQuote(STREAM_MARK)}; then`,
    `  set -- bridgescope capture --no-tui --no-names${opts.snaplen ? ` --snaplen ${opts.snaplen}` : ''}${filter ? ` -f${filter}` : ''} -w - --`,
    `  if [ -e "/sys/class/net/$T" ] || ! P=$(docker inspect --type container -f '{{.State.Pid}}' "$T" 2>/dev/null); then exec "$@" "$T"; fi`,
    `  [ "$P" -gt 0 ] 2>/dev/null || { echo "bridgescope-remote: container $T is not running" >&2; exit 3; }`,
    `  exec nsenter -t "$P" -n unshare -m sh -c 'mount -t sysfs sysfs /sys && exec "$@" $(ls /sys/class/net | grep -vx lo)' sh "$@"`,
    `fi`,
    `command -v tcpdump >/dev/null 2>&1 || { echo "bridgescope-remote: no tcpdump on this host" >&2; exit 127; }`,
    `if [ -e "/sys/class/net/$T" ]; then set -- tcpdump`,
    `else`,
    // docker's own reason is the last line it wrote (it prints [] before "No such object").
    `  if ! P=$(docker inspect --type container -f '{{.State.Pid}}' "$T" 2>&1); then echo "bridgescope-remote: $T is neither an interface nor a container here: $(printf '%s\\n' "$P" | tail -n 1)" >&2; exit 3; fi`,
    `  [ "$P" -gt 0 ] 2>/dev/null || { echo "bridgescope-remote: container $T is not running" >&2; exit 3; }`,
    `  set -- nsenter -t "$P" -n tcpdump; I=eth0`,
    `fi`,
    // A background list's standard input is /dev/null: the watcher gets ssh's through fd 3.
    `exec 3<&0`,
    `"$@" -U -n --immediate-mode --time-stamp-precision=nano -s ${opts.snaplen ?? 262144} -w - -i "$I"${filter} 3<&- &`,
    `C=$!`,
    `(cat <&3; kill -TERM $C) >/dev/null 2>&1 &`,
    `wait $C`,
  ].join('\n');
}

export interface SshCommandOptions {
  /** `-F FILE`: an ssh_config to use instead of ~/.ssh/config. */
  config?: string;
  /** `-o OPTION` each, in order (`--ssh-option`). */
  options?: readonly string[];
}

/**
 * ssh's arguments for running `command` on `d`. BatchMode: a capture (or its UI) cannot stop to
 * ask for a password; keys come from the agent or ssh_config. `-T`: no terminal, the stream is
 * binary.
 */
export function sshArgs(d: SshDestination, command: string, o: SshCommandOptions = {}): string[] {
  const args = ['-T', '-o', 'BatchMode=yes'];
  if (o.config) args.push('-F', o.config);
  for (const opt of o.options ?? []) args.push('-o', opt);
  if (d.user) args.push('-l', d.user);
  if (d.port) args.push('-p', String(d.port));
  return [...args, '--', d.host, command];
}
