import type { FirewallRule, RuleMatch } from '../host/iptables.js';
import { inSubnet6, solicitedNode } from './trace-ipv6-plan.js';
import { inSubnet, type TracePlan } from './trace-plan.js';

/** One direction of the trace's traffic as the host's firewall sees it. */
export interface PacketPath {
  what: 'echo request' | 'echo reply' | 'neighbor solicitation' | 'neighbor advertisement' | 'VXLAN';
  /** A UDP packet's destination port (VXLAN between Docker hosts); absent for ICMP. */
  udpPort?: number;
  /** 6 for `trace -6`'s packets, which ip6tables sees; absent for IPv4. */
  family?: 6;
  src: string;
  dst: string;
  in?: string;
  out?: string;
  /** Bridge ports, when the packet is bridged (br_netfilter hands it to iptables with them). */
  physIn?: string;
  physOut?: string;
}

/** The request and its reply through the host: bridged on one bridge, routed between two, or to the host. */
export function packetPaths(plan: TracePlan): PacketPath[] {
  if (!plan.fromIp || !plan.toIp) return [];
  const veth = (role: string) => plan.hops.find((h) => h.role === role)?.interface;
  const [brA, brB] = [plan.fromNetwork?.bridge, plan.toKind === 'container' ? (plan.toNetwork?.bridge ?? plan.fromNetwork?.bridge) : undefined];
  const bridged = brA !== undefined && brA === brB;
  const family = plan.family;
  const req: PacketPath = { what: 'echo request', family, src: plan.fromIp, dst: plan.toIp, in: brA, out: brB, physIn: veth('source'), physOut: bridged ? veth('target') : undefined };
  const rep: PacketPath = { what: 'echo reply', family, src: plan.toIp, dst: plan.fromIp, in: brB, out: brA, physIn: bridged ? veth('target') : undefined, physOut: bridged ? veth('source') : undefined };
  if (family !== 6 || !bridged) return [req, rep];
  // Bridged NDP passes ip6tables too (br_netfilter), so a rule can stop the neighbour lookup before any echo.
  const ns: PacketPath = { ...req, what: 'neighbor solicitation', dst: solicitedNode(plan.toIp) ?? plan.toIp };
  const na: PacketPath = { ...rep, what: 'neighbor advertisement' };
  return [req, rep, ns, na];
}

const DROPS = new Set(['DROP', 'REJECT']);

/** Whether a rule that drops could have taken this packet: no condition of it rules the packet out. */
export function couldDrop(rule: FirewallRule, p: PacketPath): boolean {
  return DROPS.has(rule.target) && rule.matches.every((m) => holds(m, p) !== false);
}

/** true, false, or undefined when the condition is one this reading cannot decide. */
function holds(m: RuleMatch, p: PacketPath): boolean | undefined {
  const v = m.value;
  const decided = (() => {
    switch (m.option) {
      case '-s': case '--source': return v ? inCidr(p.src, v) : undefined;
      case '-d': case '--destination': return v ? inCidr(p.dst, v) : undefined;
      case '-i': case '--in-interface': return iface(p.in, v);
      case '-o': case '--out-interface': return iface(p.out, v);
      case '--physdev-in': return iface(p.physIn, v);
      case '--physdev-out': return iface(p.physOut, v);
      case '--physdev-is-bridged': return p.physOut !== undefined || p.physIn !== undefined ? p.physOut !== undefined : undefined;
      case '-p': case '--protocol': return v === undefined ? undefined : protocols(p).includes(v.toLowerCase());
      case '--icmp-type': return v === undefined || p.family === 6 || p.udpPort !== undefined ? undefined : p.what === 'echo request' ? ['echo-request', '8'].includes(v) : ['echo-reply', '0'].includes(v);
      case '--icmpv6-type': return v === undefined || p.family !== 6 || p.udpPort !== undefined ? undefined : ICMP6_TYPES[p.what as IcmpWhat].includes(v);
      case '--dport': case '--destination-port': case '--dports': case '--destination-ports':
        return v === undefined || p.udpPort === undefined ? undefined : portIn(p.udpPort, v);
      case '-m': case '--match': return true;
      default: return undefined;
    }
  })();
  return decided === undefined ? undefined : m.negated ? !decided : decided;
}

function protocols(p: PacketPath): string[] {
  if (p.udpPort !== undefined) return ['udp', '17', 'all'];
  return p.family === 6 ? ['ipv6-icmp', 'icmpv6', '58', 'all'] : ['icmp', '1', 'all'];
}

/** `4789`, `4789:4790` (a range) or, for multiport, a comma list of either. */
function portIn(port: number, spec: string): boolean | undefined {
  const each = spec.split(',').map((part) => {
    const [lo, hi = lo] = part.split(':').map(Number);
    return Number.isInteger(lo) && Number.isInteger(hi) ? port >= lo && port <= hi : undefined;
  });
  return each.includes(true) ? true : each.includes(undefined) ? undefined : false;
}

function iface(actual: string | undefined, pattern: string | undefined): boolean | undefined {
  if (actual === undefined || pattern === undefined) return undefined;
  return pattern.endsWith('+') ? actual.startsWith(pattern.slice(0, -1)) : actual === pattern;
}

/** How ip6tables-save writes each packet's ICMPv6 type (a number), and the names a rule may be given by. */
type IcmpWhat = Exclude<PacketPath['what'], 'VXLAN'>;
const ICMP6_TYPES: Record<IcmpWhat, string[]> = {
  'echo request': ['128', 'echo-request'],
  'echo reply': ['129', 'echo-reply'],
  'neighbor solicitation': ['135', 'neighbour-solicitation', 'neighbor-solicitation'],
  'neighbor advertisement': ['136', 'neighbour-advertisement', 'neighbor-advertisement'],
};

const inCidr = (ip: string, cidr: string): boolean => (ip.includes(':') ? inSubnet6(ip, cidr) : inSubnet(ip, cidr.includes('/') ? cidr : `${cidr}/32`));
