import { sshArgs, type SshCommandOptions } from '../capture/remote-target.js';
import { VXLAN_PORT } from '../decode/index.js';
import type { Daemon } from '../docker/daemons.js';
import { dockerdListeningOn } from '../host/daemon-process.js';
import { countersMoved, readIptables, type FirewallRead, type FirewallRule } from '../host/iptables.js';
import { inNetns } from '../host/netns.js';
import { runHost } from '../host/run.js';
import { couldDrop, type PacketPath } from './trace-firewall.js';
import type { OverlayPath } from './trace-overlay-plan.js';
import type { TraceReason } from './trace-reasons.js';

/** Where a Docker host's firewall is read from, or why it cannot be. */
export type FirewallAccess = { host: string; read: () => Promise<FirewallRead> } | { host: string; unreadable: string };

/**
 * How this machine reads a Docker host's iptables: a daemon listening on a unix socket here runs
 * in some network namespace of this machine, entered with nsenter (as root); an `ssh://` daemon's
 * host is asked over the user's ssh, with their config and `ssh` options (BatchMode, so it needs
 * keys and a user that may run iptables-save there). A tcp:// daemon is reached only through its API, so its firewall is not read.
 */
export async function firewallAccess(d: Daemon, ssh: SshCommandOptions = {}): Promise<FirewallAccess> {
  const o = d.options;
  if (o.socketPath) {
    const pid = await dockerdListeningOn(o.socketPath);
    if (pid === undefined) return { host: d.name, unreadable: `no dockerd on this machine listens on ${o.socketPath}` };
    return { host: d.name, read: () => readIptables(4, (argv) => inNetns(pid, argv)) };
  }
  if (o.protocol === 'ssh' && o.host) {
    const dest = { host: o.host, user: o.username, port: o.port === 22 ? undefined : Number(o.port) };
    return { host: d.name, read: () => readIptables(4, (argv) => runHost(['ssh', ...sshArgs(dest, argv.join(' '), ssh)])) };
  }
  return { host: d.name, unreadable: `its daemon is reached over tcp://, which says nothing of its firewall` };
}

/** Each host's rules before or after the trace; a host that could not be read has an error. */
export type FirewallReads = Map<string, FirewallRead>;

export async function readFirewalls(access: readonly FirewallAccess[]): Promise<FirewallReads> {
  const reads = await Promise.all(access.map(async (a) => [a.host, 'read' in a ? await a.read() : { rules: [], error: a.unreadable }] as const));
  return new Map(reads);
}

/** Built-in chains a host's own traffic passes: VXLAN it receives, VXLAN it sends. */
const INBOUND = new Set(['PREROUTING', 'INPUT']);
const OUTBOUND = new Set(['OUTPUT', 'POSTROUTING']);
const BUILT_IN = new Set([...INBOUND, ...OUTBOUND, 'FORWARD']);

/**
 * The DROP/REJECT rules (or DROP policies) of either host whose counters moved during the trace
 * and that fit the VXLAN between the two: the receiver's inbound chains, the sender's outbound
 * ones, in both directions (requests one way, replies the other). A host that could not be read
 * is said so, when nothing else explains the loss.
 */
export function overlayFirewallReasons(o: OverlayPath, before: FirewallReads, after: FirewallReads): TraceReason[] {
  if (!o.fromUnderlay || !o.toUnderlay) return [];
  const addr = (host: string) => (host === o.fromHost ? o.fromUnderlay! : o.toUnderlay!);
  const vxlan = (from: string, to: string): PacketPath => ({ what: 'VXLAN', udpPort: VXLAN_PORT, src: addr(from), dst: addr(to) });
  const out: TraceReason[] = [];
  const unread: string[] = [];
  for (const [host, other] of [[o.toHost, o.fromHost], [o.fromHost, o.toHost]]) {
    const was = before.get(host);
    const now = after.get(host);
    if (!was || !now || was.error || now.error) {
      unread.push(`host ${host}'s firewall was not read (${now?.error ?? was?.error ?? 'no daemon named it'})`);
      continue;
    }
    const inbound = vxlan(other, host);
    const outbound = vxlan(host, other);
    for (const { rule, packets, before: b } of countersMoved(was.rules, now.rules)) {
      const fits = (p: PacketPath, chains: Set<string>) => (chains.has(rule.chain) || !BUILT_IN.has(rule.chain)) && couldDrop(rule, p);
      const hit = fits(inbound, INBOUND) ? { p: inbound, from: other } : fits(outbound, OUTBOUND) ? { p: outbound, from: host } : undefined;
      if (!hit) continue;
      out.push({ code: 'firewall-rule', text: `host ${host}'s ${ruleName(rule)} ${rule.target === 'REJECT' ? 'rejected' : 'dropped'} the VXLAN from host ${hit.from} (${hit.p.src} > ${hit.p.dst}, UDP ${VXLAN_PORT}): it counted ${packets} packet${packets === 1 ? '' : 's'} during the trace (${b} -> ${b + packets})` });
    }
  }
  if (out.length === 0) out.push(...unread.map((text) => ({ code: 'firewall-unread' as const, text })));
  return out;
}

const ruleName = (r: FirewallRule) => (r.position === 0 ? `${r.table} ${r.text}` : `${r.table} ${r.chain} rule ${r.position} \`${r.text}\``);
