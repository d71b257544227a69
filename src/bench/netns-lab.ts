import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';

/**
 * Two network namespaces, `<prefix>a` and `<prefix>b`, each with an `eth0` whose host end is a
 * port of a bridge of the lab's own. Used by the capture tests and the live benchmark; everything
 * it makes carries its prefixes, so leftovers of a killed run are found and removed by prefix.
 *
 * The subnet must not be a Docker network's. When dockerd runs it loads br_netfilter and sets
 * FORWARD to DROP, so the lab adds an ACCEPT rule for its bridge (tagged with the prefix).
 */
export interface NetnsLabSpec {
  /** Prefix of the namespace names, e.g. `bstest-cap-`. */
  nsPrefix: string;
  /** Prefix of host interface names; at most 11 characters (interface names stop at 15). */
  ifPrefix: string;
  /** First three octets, e.g. `10.203.0`: a gets .1, b gets .2, mask /24. */
  subnet: string;
}

export interface NetnsLab {
  bridge: string;
  /** Host ends of the veths of a and b. */
  vethA: string;
  vethB: string;
  nsA: string;
  nsB: string;
  ipA: string;
  ipB: string;
  /** Runs a command inside a namespace and returns its stdout. */
  exec(ns: string, args: string[]): string;
  /** Forgets learned neighbours so the next ping starts with an ARP exchange. */
  flushNeighbours(): void;
  teardown(): void;
}

function sh(args: string[], ignoreFailure = false): string {
  try {
    return execFileSync(args[0], args.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    if (ignoreFailure) return '';
    throw err;
  }
}

function hasIptables(): boolean {
  return sh(['sh', '-c', 'command -v iptables || true']).trim() !== '';
}

/** Removes namespaces, the bridge and the FORWARD rule left by an earlier lab with these prefixes. */
function removeNetnsLab(spec: NetnsLabSpec): void {
  for (const line of sh(['ip', 'netns', 'list'], true).split('\n')) {
    const name = line.split(' ')[0];
    if (name.startsWith(spec.nsPrefix)) sh(['ip', 'netns', 'del', name], true);
  }
  for (const name of readdirSync('/sys/class/net')) {
    if (name.startsWith(spec.ifPrefix)) sh(['ip', 'link', 'del', name], true);
  }
  if (hasIptables()) {
    const rule = forwardRule(spec);
    while (checkRule(rule)) sh(['iptables', '-D', ...rule]);
  }
}

function checkRule(rule: string[]): boolean {
  try {
    execFileSync('iptables', ['-C', ...rule], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function forwardRule(spec: NetnsLabSpec): string[] {
  return ['FORWARD', '-i', `${spec.ifPrefix}br`, '-m', 'comment', '--comment', spec.nsPrefix, '-j', 'ACCEPT'];
}

function disableIpv6(ifname: string): void {
  // Router solicitations and MLD reports would interleave with the ARP/ICMP under test.
  writeFileSync(`/proc/sys/net/ipv6/conf/${ifname}/disable_ipv6`, '1');
}

export function createNetnsLab(spec: NetnsLabSpec): NetnsLab {
  removeNetnsLab(spec);
  const bridge = `${spec.ifPrefix}br`;
  const nsA = `${spec.nsPrefix}a`;
  const nsB = `${spec.nsPrefix}b`;
  const lab: NetnsLab = {
    bridge,
    vethA: `${spec.ifPrefix}a`,
    vethB: `${spec.ifPrefix}b`,
    nsA,
    nsB,
    ipA: `${spec.subnet}.1`,
    ipB: `${spec.subnet}.2`,
    exec: (ns, args) => sh(['ip', 'netns', 'exec', ns, ...args]),
    flushNeighbours: () => {
      for (const ns of [nsA, nsB]) sh(['ip', '-n', ns, 'neigh', 'flush', 'all'], true);
    },
    teardown: () => removeNetnsLab(spec),
  };
  try {
    sh(['ip', 'link', 'add', bridge, 'type', 'bridge']);
    disableIpv6(bridge);
    sh(['ip', 'link', 'set', bridge, 'up']);
    for (const [ns, veth, ip] of [
      [nsA, lab.vethA, lab.ipA],
      [nsB, lab.vethB, lab.ipB],
    ]) {
      sh(['ip', 'netns', 'add', ns]);
      sh(['ip', 'link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns]);
      disableIpv6(veth);
      sh(['ip', 'link', 'set', veth, 'master', bridge, 'up']);
      sh(['ip', 'netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1']);
      sh(['ip', '-n', ns, 'addr', 'add', `${ip}/24`, 'dev', 'eth0']);
      sh(['ip', '-n', ns, 'link', 'set', 'eth0', 'up']);
      sh(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
    }
    if (hasIptables()) sh(['iptables', '-I', ...forwardRule(spec)]);
  } catch (err) {
    removeNetnsLab(spec);
    throw err;
  }
  return lab;
}
