import type { HopReport, Sighting } from './trace-hops.js';
import type { PingRun } from './trace-ping.js';
import type { TracePlan } from './trace-plan.js';

type Kind = 'arpRequests' | 'arpReplies' | 'echoRequests' | 'echoReplies';

/** Where the packets stopped: the last place that saw them and the first that did not. */
export interface TraceSegment {
  packets: 'ARP requests' | 'ARP replies' | 'neighbor solicitations' | 'neighbor advertisements' | 'echo requests' | 'echo replies';
  from: string;
  to: string;
}

export interface TraceVerdict {
  met: boolean;
  segment?: TraceSegment;
  /** One sentence: what crossed where, and where it stopped. */
  summary: string;
  /** The counts the summary rests on, one line per hop. */
  evidence: string[];
}

const PACKETS: Record<Kind, TraceSegment['packets']> = {
  arpRequests: 'ARP requests', arpReplies: 'ARP replies', echoRequests: 'echo requests', echoReplies: 'echo replies',
};
/** Under `trace -6` Neighbor Discovery stands where ARP does. */
const PACKETS6: Record<Kind, TraceSegment['packets']> = {
  ...PACKETS, arpRequests: 'neighbor solicitations', arpReplies: 'neighbor advertisements',
};
const packets = (plan: TracePlan) => (plan.family === 6 ? PACKETS6 : PACKETS);

/**
 * Places the loss on a segment from what each hop saw: requests walk from A's veth towards B,
 * replies back from B's end; the first hop that saw fewer than the one before is where they
 * were lost. A MAC that Docker did not give the pinged address, answering for it, fails the
 * trace even when the ping itself came back.
 */
export function judgeHops(plan: TracePlan, hops: HopReport[], ping: PingRun | undefined, count: number, macOwner: (mac: string) => string | undefined): TraceVerdict {
  const evidence = hops.map((h) => hopLine(h, plan.family === 6));
  if (plan.blockers.length) return { met: false, summary: plan.blockers.join('; '), evidence };
  if (!ping) return { met: false, summary: 'no ping was sent', evidence };
  const pingOk = ping.exitCode === 0 && (ping.received ?? 0) >= count;
  if (plan.loopback) {
    return {
      met: pingOk, evidence,
      summary: `${plan.from.name} and ${plan.toName} share one network namespace: ${ping.received ?? 0} of ${count} echo replies came back over loopback; no bridge traffic expected`,
    };
  }
  const strangers = plan.toMac ? [...new Set(hops.flatMap((h) => h.answeringMacs))].filter((m) => m !== plan.toMac) : [];
  if (strangers.length) {
    const who = strangers.map((m) => `${macOwner(m) ?? 'an unknown interface'} (${m})`);
    return {
      met: false, evidence,
      summary: `${who.join(', ')} answered for ${plan.toIp}, which Docker gave to ${plan.toName} (${plan.toMac}): another interface claims its address`,
      segment: { packets: packets(plan).arpReplies, from: who[0], to: hops[0].hop.label },
    };
  }
  const src = hops[0];
  const answered = src ? src.echoReplies.count >= count : false;
  if (pingOk && (answered || !src)) {
    return { met: true, evidence, summary: `${count} echo requests reached ${plan.toName} and ${count} replies came back to ${plan.from.name}` };
  }
  return { met: false, evidence, ...whereItStopped(plan, hops, ping, count) };
}

function whereItStopped(plan: TracePlan, hops: HopReport[], ping: PingRun, count: number): { summary: string; segment?: TraceSegment } {
  const a = plan.from.name;
  const src = hops[0];
  if (!src) return { summary: `${a} has no host veth to watch; ping said: ${lastLine(ping.output)}` };
  const last = hops[hops.length - 1];
  const target = last.hop.role === 'target' ? last : undefined;
  const bName = plan.toName;
  if (src.echoRequests.count === 0) {
    if (src.arpRequests.count > 0 && src.arpReplies.count === 0) {
      const who = `${plan.family === 6 ? 'NDP' : 'ARP'} who-has ${plan.nextHopIp} (tell ${plan.fromIp}) was never answered`;
      const owner = plan.notes.find((n) => n.code === 'no-owner' || n.code === 'other-subnet');
      if (owner && plan.nextHopIp === plan.toIp) return { summary: `${who}: ${owner.text}`, segment: { packets: packets(plan).arpRequests, from: last.hop.label, to: plan.toIp! } };
      return lossOf(plan, hops, 'arpRequests', 'arpReplies', who);
    }
    return { summary: `no echo request left ${a} (${src.hop.interface}); ping said: ${lastLine(ping.output)}`, segment: { packets: 'echo requests', from: a, to: src.hop.label } };
  }
  const lost = lossOf(plan, hops, 'echoRequests', 'echoReplies', '');
  if (lost.segment || !target) return lost;
  return { summary: `${src.echoReplies.count} of ${src.echoRequests.count} echo replies reached ${src.hop.label}, ping in ${a} counted ${ping.received ?? 0} of ${count}: ${bName} answered, ${a} did not take the replies`, segment: { packets: 'echo replies', from: src.hop.label, to: a } };
}

/** Walks requests forward, then replies back, and names the first gap. */
function lossOf(plan: TracePlan, hops: HopReport[], req: Kind, rep: Kind, lead: string): { summary: string; segment?: TraceSegment } {
  const prefix = lead ? `${lead}: ` : '';
  const far = hops[hops.length - 1];
  const farEnd = far.hop.role === 'target' ? plan.toName : far.hop.role === 'bridge' && plan.toKind !== 'container' ? 'the host' : plan.toName;
  const fwd = gap(hops, req);
  if (fwd !== undefined) {
    const seen = hops.slice(0, fwd);
    const miss = hops[fwd];
    const prev = seen[seen.length - 1];
    const what = packets(plan)[req];
    const none = miss[req].count === 0 ? `none reached ${miss.hop.label}` : `only ${miss[req].count} of ${prev[req].count} reached ${miss.hop.label}`;
    return {
      summary: `${prefix}${what} left ${plan.from.name} (${hops[0].hop.interface})${crossed(seen.slice(1))}, ${none}: dropped between ${prev.hop.label} and ${miss.hop.label}`,
      segment: { packets: what, from: prev.hop.label, to: miss.hop.label },
    };
  }
  if (far[rep].count === 0) {
    const what = packets(plan)[req];
    return {
      summary: `${prefix}${what} reached ${far.hop.label}, no ${packets(plan)[rep].replace(' replies', ' reply').replace(' advertisements', ' advertisement')} came back from ${farEnd}`,
      segment: { packets: what, from: far.hop.label, to: farEnd },
    };
  }
  const back = gap([...hops].reverse(), rep);
  if (back !== undefined) {
    const rev = [...hops].reverse();
    const miss = rev[back];
    const prev = rev[back - 1];
    const what = packets(plan)[rep];
    const none = miss[rep].count === 0 ? `none reached ${miss.hop.label}` : `only ${miss[rep].count} of ${prev[rep].count} reached ${miss.hop.label}`;
    return {
      summary: `${prefix}${what} left ${farEnd} (${far.hop.interface})${crossed(rev.slice(1, back))}, ${none}: dropped between ${prev.hop.label} and ${miss.hop.label}`,
      segment: { packets: what, from: prev.hop.label, to: miss.hop.label },
    };
  }
  return { summary: `${prefix}${packets(plan)[rep]} came back to ${hops[0].hop.label}` };
}

/** Index of the first hop that saw fewer than the hop before it. */
function gap(hops: HopReport[], kind: Kind): number | undefined {
  for (let i = 1; i < hops.length; i++) if (hops[i][kind].count < hops[i - 1][kind].count) return i;
  return undefined;
}

function crossed(hops: HopReport[]): string {
  const bridges = hops.filter((h) => h.hop.role === 'bridge').map((h) => h.hop.interface);
  return bridges.length ? ` and crossed ${bridges.join(', ')}` : '';
}

const at = (s: Sighting) => (s.count && s.firstMs !== undefined ? ` (+${s.firstMs.toFixed(1)}..${s.lastMs!.toFixed(1)} ms)` : '');

export function hopLine(h: HopReport, v6: boolean): string {
  if (!h.captured) return `${h.hop.label}: not captured (${h.why ?? 'the interface is down): nothing passed it'}${h.why ? ')' : ''}`;
  const icmp = v6 ? 'ICMPv6' : 'ICMP';
  const errs = h.errors.seen.map((e) => `${icmp} ${e.type}/${e.code} from ${e.from}`).join(', ');
  return (
    `${h.hop.label}: ${v6 ? 'NDP' : 'ARP'} ${h.arpRequests.count} who-has${at(h.arpRequests)} / ${h.arpReplies.count} is-at${at(h.arpReplies)}; ` +
    `echo ${h.echoRequests.count} requests${at(h.echoRequests)} / ${h.echoReplies.count} replies${at(h.echoReplies)}` +
    (h.errors.count ? `; ${h.errors.count} ${icmp} errors (${errs})` : '')
  );
}

export function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}
