import type { HopReport } from './trace-hops.js';
import type { OverlayPath } from './trace-overlay-plan.js';
import type { PingRun } from './trace-ping.js';
import type { TracePlan } from './trace-plan.js';
import { hopLine, lastLine, type TraceSegment, type TraceVerdict } from './trace-verdict.js';

type Kind = 'echoRequests' | 'echoReplies';

/**
 * Places a cross-host loss: requests walk from A's interface over the underlay interfaces this
 * machine sees to B's interface, replies walk back. A gap between the last underlay hop and the
 * far container is the overlay's: the VXLAN was sent by one host and never received (opened and
 * delivered) by the other. Hops that could not be captured are passed over, and said so.
 */
export function judgeOverlay(plan: TracePlan, o: OverlayPath | undefined, hops: HopReport[], ping: PingRun | undefined, count: number): TraceVerdict {
  const evidence = hops.map((h) => hopLine(h, false));
  if (plan.blockers.length || !o) return { met: false, summary: plan.blockers.join('; ') || 'no overlay path', evidence };
  if (!ping) return { met: false, summary: 'no ping was sent', evidence };
  const a = `${plan.from.name}@${o.fromHost}`;
  const b = plan.toName;
  const vxlan = `VNI ${o.vni ?? "?"}, ${o.fromUnderlay ?? "?"} > ${o.toUnderlay ?? "?"}`;
  const seen = hops.filter((h) => h.captured);
  const src = seen.find((h) => h.hop.role === 'source');
  const pingOk = ping.exitCode === 0 && (ping.received ?? 0) >= count;
  if (pingOk && (!src || src.echoReplies.count >= count)) {
    return { met: true, evidence, summary: `${count} echo requests crossed overlay ${o.network.name} (${vxlan}) to ${b} and ${count} replies came back to ${a}` };
  }
  if (src && src.echoRequests.count === 0) {
    return { met: false, evidence, summary: `no echo request left ${a} (${src.hop.label}); ping said: ${lastLine(ping.output)}`, segment: { packets: 'echo requests', from: a, to: src.hop.label } };
  }
  const fwd = walk(seen, 'echoRequests', { sender: o.fromHost, receiver: o.toHost, vxlan, far: b });
  if (fwd) return { met: false, evidence, ...fwd };
  const far = seen[seen.length - 1];
  if (far && far.hop.role === 'target' && far.echoReplies.count === 0) {
    return { met: false, evidence, summary: `echo requests reached ${far.hop.label}; ${b} did not answer`, segment: { packets: 'echo requests', from: far.hop.label, to: b } };
  }
  if (far && far.hop.role !== 'target' && far.echoReplies.count === 0) {
    return {
      met: false, evidence, segment: { packets: 'echo requests', from: far.hop.label, to: b },
      summary: `echo requests reached ${far.hop.label}, the last hop towards ${b} this machine sees, and no reply came back; ${o.toHost}'s side was not captured`,
    };
  }
  const back = walk([...seen].reverse(), 'echoReplies', { sender: o.toHost, receiver: o.fromHost, vxlan: `VNI ${o.vni ?? "?"}, ${o.toUnderlay ?? '?'} > ${o.fromUnderlay ?? '?'}`, far: a });
  if (back) return { met: false, evidence, ...back };
  return { met: false, evidence, summary: `echo replies reached ${src?.hop.label ?? a}, ping in ${a} counted ${ping.received ?? 0} of ${count}; ping said: ${lastLine(ping.output)}` };
}

interface Direction {
  sender: string;
  receiver: string;
  vxlan: string;
  far: string;
}

/** The first captured hop that saw fewer than the one before it, told as where on the way it is. */
function walk(hops: HopReport[], kind: Kind, d: Direction): { summary: string; segment: TraceSegment } | undefined {
  const what = kind === 'echoRequests' ? 'echo requests' : 'echo replies';
  for (let i = 1; i < hops.length; i++) {
    const prev = hops[i - 1];
    const miss = hops[i];
    if (miss[kind].count >= prev[kind].count) continue;
    const none = miss[kind].count === 0 ? `none reached ${miss.hop.label}` : `only ${miss[kind].count} of ${prev[kind].count} reached ${miss.hop.label}`;
    const underlay = hops.slice(0, i).filter((h) => h.hop.role === 'underlay').map((h) => h.hop.interface);
    const segment: TraceSegment = { packets: what, from: prev.hop.label, to: miss.hop.label };
    const endRole = kind === 'echoRequests' ? 'target' : 'source';
    const startRole = kind === 'echoRequests' ? 'source' : 'target';
    let summary: string;
    if (prev.hop.role === startRole && miss.hop.role === 'underlay') {
      summary = `${what} left ${prev.hop.label}, ${none}: host ${d.sender} did not send them as VXLAN to ${d.receiver} (${d.vxlan})`;
    } else if (prev.hop.role === 'underlay' && miss.hop.role === 'underlay') {
      summary = `${what} as VXLAN from host ${d.sender} (${d.vxlan}) crossed ${underlay.join(', ')}, ${none}: lost on the underlay between ${prev.hop.interface} and ${miss.hop.interface}`;
    } else if (prev.hop.role === 'underlay' && miss.hop.role === endRole) {
      summary = `the overlay lost the ${what}: VXLAN sent by host ${d.sender} (${d.vxlan}) crossed the underlay (${underlay.join(', ')}) and was never received by host ${d.receiver}: ${none}`;
    } else {
      summary = `${what} left ${prev.hop.label}, ${none}: lost between the hosts (no underlay interface between ${d.sender} and ${d.receiver} is visible from this machine)`;
    }
    return { summary, segment };
  }
  return undefined;
}
