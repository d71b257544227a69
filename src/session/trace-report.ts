import { sanitize } from '../present/sanitize.js';
import type { Sighting } from './trace-hops.js';
import type { TraceResult } from './trace.js';

/**
 * A trace's verdict as text and as the --json record. It sits with the trace, not in present/,
 * because it reads the trace's own result types, which live in session/.
 */
const cell = (s: Sighting) => (s.count ? `${s.count} @${s.firstMs!.toFixed(1)}` : '-');

function hopTable(r: TraceResult): string[] {
  const head = r.plan.family === 6 ? ['hop', 'NDP who-has', 'NDP is-at', 'echo req', 'echo reply', 'ICMPv6 err'] : ['hop', 'ARP who-has', 'ARP is-at', 'echo req', 'echo reply', 'ICMP err'];
  const rows = r.hops.map((h) => [h.hop.label, cell(h.arpRequests), cell(h.arpReplies), cell(h.echoRequests), cell(h.echoReplies), cell(h.errors)].map(sanitize));
  const widths = head.map((x, i) => Math.max(x.length, ...rows.map((row) => row[i].length)));
  const fmt = (row: string[]) => '  ' + row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [fmt(head), ...rows.map(fmt)];
}

export function verdictText(r: TraceResult): string {
  const lines = [`path: ${sanitize(r.plan.path)}`];
  if (r.ping) lines.push(`ping: ${r.ping.via === 'netns' ? `the host's ping in ${r.plan.from.name}'s network namespace` : `${r.plan.from.name}'s own ping (docker exec${r.ping.fallback ? `: ${r.ping.fallback}` : ''})`}${r.cold ? `, after forgetting its neighbour entry for ${r.plan.nextHopIp}` : ''}`);
  if (r.hops.length) lines.push('hops (count @ms after the ping started):', ...hopTable(r));
  const name = `${r.plan.from.name} -> ${r.plan.toName}`;
  lines.push(r.met ? `verdict: met (${sanitize(name)})` : `verdict: NOT met (${sanitize(name)})`);
  lines.push(`  ${sanitize(r.verdict.summary)}`);
  if (r.reasons.length) lines.push('why:');
  for (const reason of r.reasons) lines.push(`  - ${sanitize(reason.text)}`);
  return lines.join('\n') + '\n';
}

export function verdictRecord(r: TraceResult) {
  return {
    from: r.plan.from.name,
    to: r.plan.toName,
    toKind: r.plan.toKind,
    family: r.plan.family ?? 4,
    fromIp: r.plan.fromIp,
    toIp: r.plan.toIp,
    path: r.plan.path,
    loopback: r.plan.loopback,
    bridges: r.plan.bridges,
    met: r.met,
    verdict: r.verdict.summary,
    segment: r.verdict.segment,
    evidence: r.verdict.evidence,
    reasons: r.reasons,
    hops: r.hops.map((h) => ({
      interface: h.hop.interface, role: h.hop.role, label: h.hop.label,
      // Under -6 the who-has and is-at columns count Neighbor Discovery, and are named for it.
      ...(r.plan.family === 6 ? { ndpSolicits: h.arpRequests, ndpAdverts: h.arpReplies } : { arpRequests: h.arpRequests, arpReplies: h.arpReplies }),
      echoRequests: h.echoRequests, echoReplies: h.echoReplies, icmpErrors: h.errors, answeringMacs: h.answeringMacs,
    })),
    ping: r.ping && { via: r.ping.via, fallback: r.ping.fallback, exitCode: r.ping.exitCode, transmitted: r.ping.transmitted, received: r.ping.received },
    cold: r.cold,
    overlay: r.overlay && { network: r.overlay.network.name, vni: r.overlay.vni, fromHost: r.overlay.fromHost, toHost: r.overlay.toHost, fromUnderlay: r.overlay.fromUnderlay, toUnderlay: r.overlay.toUnderlay },
    frames: r.frames.length,
    host: r.host && { bridgeNetfilter: r.host.bridgeNetfilter, links: r.host.links, iccDisabled: r.host.iccDisabled, firewallError: r.host.after.error },
  };
}
