import { icmp6CodeName, icmp6TypeName } from '../decode/index.js';
import type { BridgeNetfilter } from '../host/bridge-netfilter.js';
import { countersMoved, type FirewallRead } from '../host/iptables.js';
import { linkIsUp, type LinkState } from '../host/link.js';
import type { NetnsIpv6 } from '../host/netns-ipv6.js';
import type { Topology } from '../model/topology.js';
import { couldDrop, packetPaths } from './trace-firewall.js';
import type { HopReport } from './trace-hops.js';
import { ipv6TargetReason } from './trace-ipv6-reasons.js';
import type { PingRun } from './trace-ping.js';
import type { TracePlan } from './trace-plan.js';
import { lastLine, type TraceVerdict } from './trace-verdict.js';

/** Why a trace failed, each read from the host or Docker, never guessed. */
export interface TraceReason {
  code:
    | 'not-running' | 'no-address' | 'no-shared-network' | 'no-owner' | 'other-subnet' | 'link-down' | 'isolation'
    | 'icc-disabled' | 'docker-user-rule' | 'firewall-rule' | 'firewall-unread' | 'bridge-netfilter' | 'mac-mismatch' | 'icmp-error' | 'ping-failed';
  text: string;
}

/** What the host said around the trace: rules before and after, links and br_netfilter after. */
export interface HostFacts {
  before: FirewallRead;
  after: FirewallRead;
  links: LinkState[];
  bridgeNetfilter: BridgeNetfilter;
  /** Networks on the path created with com.docker.network.bridge.enable_icc=false. */
  iccDisabled: string[];
  /** Under `trace -6`: the IPv6 addresses B's namespace holds. */
  targetIpv6?: NetnsIpv6;
}

export function traceReasons(plan: TracePlan, verdict: TraceVerdict, hops: HopReport[], ping: PingRun | undefined, facts: HostFacts | undefined, t: Topology): TraceReason[] {
  if (verdict.met) return [];
  const reasons: TraceReason[] = plan.blockers.map((text) => ({ code: text.includes('not running') ? 'not-running' : 'no-address', text }));
  for (const n of plan.notes) reasons.push({ code: n.code, text: n.text });
  for (const h of hops) {
    const s = facts?.links.find((l) => l.name === h.hop.interface);
    if (s && !linkIsUp(s)) {
      const state = s.exists ? `operstate ${s.operstate}${s.adminUp ? '' : ', administratively down'}` : 'it no longer exists';
      reasons.push({ code: 'link-down', text: `${h.hop.label} is down (${state}): the bridge does not forward to or from a port that is down` });
    }
  }
  if (facts) reasons.push(...firewallReasons(plan, facts));
  for (const net of facts?.iccDisabled ?? []) {
    if (!reasons.some((r) => r.code === 'icc-disabled')) {
      reasons.push({ code: 'icc-disabled', text: `network ${net} was created with com.docker.network.bridge.enable_icc=false: Docker drops traffic between its containers` });
    }
  }
  const unheld = ipv6TargetReason(plan, facts?.targetIpv6);
  if (unheld) reasons.push(unheld);
  reasons.push(...strangerMacs(plan, hops, t));
  for (const h of hops) {
    for (const e of h.errors.seen) {
      const what = plan.family === 6 ? `ICMPv6 ${icmp6TypeName(e.type)} (${icmp6CodeName(e.type, e.code)}, type ${e.type} code ${e.code})` : `ICMP type ${e.type} code ${e.code}`;
      reasons.push({ code: 'icmp-error', text: `${e.from} sent ${what} about the echo requests (seen on ${h.hop.interface})` });
    }
  }
  const withinBridge = verdict.segment && plan.fromNetwork?.bridge && [verdict.segment.from, verdict.segment.to].some((x) => x.startsWith(plan.fromNetwork!.bridge!));
  const ruled = reasons.some((r) => ['isolation', 'icc-disabled', 'docker-user-rule', 'firewall-rule', 'link-down'].includes(r.code));
  if (facts && withinBridge && !ruled) {
    const bnf = facts.bridgeNetfilter;
    const [tool, on] = plan.family === 6 ? ['ip6tables', bnf.callIp6tables] : ['iptables', bnf.callIptables];
    reasons.push({
      code: 'bridge-netfilter',
      text: !bnf.loaded
        ? `br_netfilter is not loaded: ${tool} never sees bridged frames, so no FORWARD rule is the cause`
        : on
          ? `bridge-nf-call-${tool}=1: bridged frames pass ${tool}, but no DROP rule counted them during the trace`
          : `bridge-nf-call-${tool}=0: ${tool} does not see bridged frames, so no FORWARD rule is the cause`,
    });
  }
  if (ping && ping.exitCode !== 0 && /executable file not found|not found|no such file/i.test(ping.output) && ping.via === 'exec') {
    reasons.push({ code: 'ping-failed', text: `${plan.from.name}'s image has no ping (${lastLine(ping.output)}); run trace as root so the host's ping is used` });
  }
  return reasons;
}

/** DROP/REJECT rules (and DROP policies) whose counter moved during the trace and that fit its packets. */
function firewallReasons(plan: TracePlan, facts: HostFacts): TraceReason[] {
  const paths = packetPaths(plan);
  const out: TraceReason[] = [];
  for (const { rule, packets, before } of countersMoved(facts.before.rules, facts.after.rules)) {
    const hit = paths.filter((p) => couldDrop(rule, p));
    if (hit.length === 0) continue;
    const tool = plan.family === 6 ? 'ip6tables ' : '';
    const where = rule.position === 0 ? `${tool}${rule.table} ${rule.text}` : `${tool}${rule.table} ${rule.chain} rule ${rule.position} \`${rule.text}\``;
    const counted = `${where} counted ${packets} packet${packets === 1 ? '' : 's'} during the trace (${before} -> ${before + packets}), matching the ${hit.map((p) => p.what).join(' and ')}`;
    const icc = facts.iccDisabled.length > 0 && rule.chain === 'FORWARD' && rule.text.includes(`-i ${plan.fromNetwork?.bridge} -o ${plan.fromNetwork?.bridge}`);
    if (rule.chain.startsWith('DOCKER-ISOLATION')) {
      out.push({ code: 'isolation', text: `Docker isolates ${plan.fromNetwork?.name} from ${plan.toNetwork?.name ?? 'the other network'}: ${counted}` });
    } else if (icc) {
      out.push({ code: 'icc-disabled', text: `network ${facts.iccDisabled.join(', ')} has com.docker.network.bridge.enable_icc=false: ${counted}` });
    } else {
      out.push({ code: rule.chain === 'DOCKER-USER' ? 'docker-user-rule' : 'firewall-rule', text: counted });
    }
  }
  return out;
}

/** An answer for B's address from a MAC Docker gave to someone else, or to no one. */
function strangerMacs(plan: TracePlan, hops: HopReport[], t: Topology): TraceReason[] {
  if (!plan.toMac) return [];
  const macs = [...new Set(hops.flatMap((h) => h.answeringMacs))].filter((m) => m !== plan.toMac);
  return macs.map((mac) => {
    const owner = t.endpoints.find((e) => e.mac === mac);
    const whose = owner ? `${owner.container}'s (Docker gave it ${owner.ipv4 ?? 'no address'} on ${owner.network})` : 'a MAC Docker did not assign';
    return { code: 'mac-mismatch' as const, text: `${plan.toIp} was answered from ${mac}, ${whose}; Docker gave ${plan.toIp} to ${plan.toName} (${plan.toMac}): duplicate address` };
  });
}
