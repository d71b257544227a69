import type { Resolver } from '../model/endpoint.js';
import { ipv4Label } from '../annotate/frame-names.js';
import { ArpOp, IcmpTimeExceeded, IcmpType, describeProblem, formatIpv4Number, icmpCodeName, icmpTypeName, ipProtoName, type DecodedFrame, type IcmpView } from '../decode/index.js';
import { sanitize } from './sanitize.js';
import { icmp6Info, ipv6Info } from './frame-info6.js';

/** "172.30.0.11 (web-bridge-2)" when the address is known, else the address. */
function ipWithName(f: DecodedFrame, ip: number, r: Resolver, tsSec: number): string {
  const name = ipv4Label(f, ip, r, tsSec);
  return name === undefined ? formatIpv4Number(ip) : `${formatIpv4Number(ip)} (${sanitize(name)})`;
}

/**
 * tcpdump's words (who-has/tell, is-at), with names beside the addresses and what the seed's
 * reader wants to know spelled out: a probe, an announcement, a gratuitous reply.
 */
function arpInfo(f: DecodedFrame, r: Resolver, tsSec: number): string {
  const arp = f.arp!;
  const name = f.protocol;
  const op = arp.operation;
  if (!arp.hasIpv4) return `${name} op ${op}, hardware type ${arp.hardwareType}, protocol 0x${arp.protocolType.toString(16).padStart(4, '0')}, ${arp.hardwareLength}/${arp.protocolLength}-byte addresses`;
  if (op === ArpOp.REQUEST) {
    const kind = arp.isProbe ? ' (probe)' : arp.isGratuitous ? ' (announce)' : '';
    return `${name} who-has ${ipWithName(f, arp.targetIpNum, r, tsSec)} tell ${ipWithName(f, arp.senderIpNum, r, tsSec)}${kind}`;
  }
  const senderHw = arp.hardwareLength > 0 ? arp.senderMac : '(no address)';
  if (op === ArpOp.REPLY) return `${name} reply ${ipWithName(f, arp.senderIpNum, r, tsSec)} is-at ${senderHw}${arp.isGratuitous ? ' (gratuitous)' : ''}`;
  if (op === ArpOp.RREQUEST) return `${name} who-is ${arp.targetMac} tell ${senderHw}`;
  if (op === ArpOp.RREPLY) return `${name} reply ${arp.targetMac} at ${formatIpv4Number(arp.targetIpNum)}`;
  return `${name} op ${op}`;
}

function icmpInfo(f: DecodedFrame, r: Resolver, tsSec: number): string {
  const icmp = f.icmp!;
  const t = icmp.type;
  let s = `ICMP ${icmpTypeName(t)}`;
  if (icmp.hasIdSeq) s += `, id ${icmp.identifier}, seq ${icmp.sequence}`;
  if (t === IcmpType.DEST_UNREACHABLE) s = `ICMP ${icmpCodeName(t, icmp.code)} unreachable`;
  else if (t === IcmpType.TIME_EXCEEDED) s += icmp.code === IcmpTimeExceeded.IN_TRANSIT ? ' in-transit' : ' in reassembly';
  else if (t === IcmpType.REDIRECT) {
    const gw = icmp.gatewayNum;
    s = `ICMP redirect ${icmpCodeName(t, icmp.code)}${gw === undefined ? '' : ` to ${ipWithName(f, gw, r, tsSec)}`}`;
  }
  else if (!icmp.hasIdSeq && icmp.code !== 0) s += `, code ${icmp.code}`;
  const q = f.quotedIpv4;
  if (q) {
    s += ` for ${ipWithName(f, q.srcNum, r, tsSec)} > ${ipWithName(f, q.dstNum, r, tsSec)} ${ipProtoName(q.protocol)}`;
    const qi = f.quotedIcmp;
    if (qi?.hasIdSeq) s += ` id ${qi.identifier} seq ${qi.sequence}`;
  }
  return s;
}

/**
 * The ICMP message of a frame whose info is only "ICMP <type>, id <id>, seq <seq>" (an echo: a
 * flood's every frame), or null: presenters write that from the numbers, as frameInfo would.
 */
export function idSeqIcmp(f: DecodedFrame): IcmpView | null {
  const icmp = f.icmp;
  return icmp !== null && icmp.hasIdSeq && f.arp === null && f.quotedIpv4 === null && f.vlan.count === 0 && f.vxlan.count === 0 && f.problem === null
    ? icmp
    : null;
}

/** frameInfo of an idSeqIcmp frame up to its id: "ICMP echo request, id ". */
export function idSeqIcmpPrefix(icmp: IcmpView): string {
  return `ICMP ${icmpTypeName(icmp.type)}, id `;
}

/**
 * The protocol part of a frame's line, tshark's Info column (no time, no endpoints): what tcpdump prints after the
 * addresses, with container names next to the addresses inside ARP and ICMP.
 */
export function frameInfo(f: DecodedFrame, r: Resolver, tsSec: number): string {
  let s: string;
  if (f.arp) s = arpInfo(f, r, tsSec);
  else if (f.icmp) s = icmpInfo(f, r, tsSec);
  else if (f.ipv4) {
    const ip = f.ipv4;
    s = `${f.protocol} ${formatIpv4Number(ip.srcNum)}${f.srcPort >= 0 ? `.${f.srcPort}` : ''} > ${formatIpv4Number(ip.dstNum)}${f.dstPort >= 0 ? `.${f.dstPort}` : ''}`;
    if (ip.isFragment) s += `, fragment offset ${ip.fragmentOffset}${ip.moreFragments ? '+' : ''}`;
  } else if (f.icmp6) s = icmp6Info(f, r, tsSec);
  else if (f.ipv6) s = ipv6Info(f);
  else s = f.protocol;
  if (f.vlan.count > 0) s = `vlan ${f.vlan.ids().join('/')} ${s}`;
  if (f.vxlan.count > 0) s += ` (${tunnelText(f)})`;
  if (f.problem) s += ` [${describeProblem(f.problem)}]`;
  return s;
}

/** "VXLAN 4097, 10.231.0.11 > 10.231.0.12": what carried the frame, outermost tunnel first. */
function tunnelText(f: DecodedFrame): string {
  const t = f.vxlan;
  const parts: string[] = [];
  for (let i = 0; i < t.count; i++) {
    const ip = t.outerIpv4(i);
    parts.push(`VXLAN ${t.vni(i)}, ${formatIpv4Number(ip.srcNum)} > ${formatIpv4Number(ip.dstNum)}`);
  }
  return parts.join('; ');
}
