import type { Resolver } from '../model/endpoint.js';
import { ipv6Label } from '../annotate/frame-names.js';
import { Icmp6Type, NdOpt, formatIpv6, formatMacNumber, icmp6CodeName, ipProtoName, type DecodedFrame } from '../decode/index.js';
import { sanitize } from './sanitize.js';

/** "fd42:b5::3 (beta-db)" when the address is known, else the address. */
function ip6WithName(b: Uint8Array, o: number, r: Resolver, tsSec: number): string {
  const text = formatIpv6(b, o);
  const name = ipv6Label(b, o, r, tsSec);
  return name === undefined ? text : `${text} (${sanitize(name)})`;
}

/**
 * Neighbor Discovery in ARP's words (who-has/tell, is-at) so a dual-stack capture reads like the
 * IPv4 one; the rest of ICMPv6 in tcpdump's spirit, errors with the datagram they quote.
 */
export function icmp6Info(f: DecodedFrame, r: Resolver, tsSec: number): string {
  const m = f.icmp6!;
  const b = f.bytes;
  const t = m.type;
  if (!m.complete) return `ICMPv6 ${m.typeName}, code ${m.code} (incomplete)`;
  const nd = f.ndOptions;
  switch (t) {
    case Icmp6Type.NEIGHBOR_SOLICITATION: {
      const target = ip6WithName(b, m.targetOffset, r, tsSec);
      if (f.ipv6!.srcUnspecified) return `NDP who-has ${target} tell :: (probe)`;
      return `NDP who-has ${target} tell ${ip6WithName(b, f.ipv6!.srcOffset, r, tsSec)}`;
    }
    case Icmp6Type.NEIGHBOR_ADVERTISEMENT: {
      const mac = nd.linkAddrNum(NdOpt.TARGET_LL);
      const at = mac >= 0 ? formatMacNumber(mac) : f.srcMacNum !== undefined ? formatMacNumber(f.srcMacNum) : '?';
      const flags = [m.naRouter ? 'router' : '', m.naSolicited ? 'solicited' : 'unsolicited', m.naOverride ? 'override' : ''].filter((x) => x);
      return `NDP ${ip6WithName(b, m.targetOffset, r, tsSec)} is-at ${at} (${flags.join(', ')})`;
    }
    case Icmp6Type.ROUTER_SOLICITATION:
      return `NDP router solicitation${nd.hasSourceLinkAddr ? ` from ${nd.sourceLinkAddr}` : ''}`;
    case Icmp6Type.ROUTER_ADVERTISEMENT: {
      const flags = `${m.raManaged ? ', managed' : ''}${m.raOther ? ', other' : ''}`;
      return `NDP router advertisement, hop limit ${m.raHopLimit}, lifetime ${m.raRouterLifetime}s${flags}${nd.mtu >= 0 ? `, mtu ${nd.mtu}` : ''}`;
    }
    case Icmp6Type.REDIRECT:
      return `NDP redirect ${m.redirectDestination} to ${ip6WithName(b, m.targetOffset, r, tsSec)}`;
    case Icmp6Type.ECHO_REQUEST:
    case Icmp6Type.ECHO_REPLY:
      return `ICMPv6 ${m.typeName}, id ${m.identifier}, seq ${m.sequence}`;
    case Icmp6Type.MLD_QUERY:
      return `MLD query ${m.mldAddress === '::' ? 'general' : `for ${m.mldAddress}`}${m.available >= 28 ? ' v2' : ''}`;
    case Icmp6Type.MLD_REPORT:
      return `MLD report ${m.mldAddress}`;
    case Icmp6Type.MLD_DONE:
      return `MLD done ${m.mldAddress}`;
    case Icmp6Type.MLD2_REPORT:
      return `MLD report v2, ${m.mld2Records} group record${m.mld2Records === 1 ? '' : 's'}`;
  }
  let s = `ICMPv6 ${m.typeName}`;
  if (m.isError) {
    if (t === Icmp6Type.PACKET_TOO_BIG) s += `, mtu ${m.mtu}`;
    else s += ` (${icmp6CodeName(t, m.code)})`;
    if (t === Icmp6Type.PARAMETER_PROBLEM) s += `, pointer ${m.pointer}`;
    const q = f.quotedIpv6;
    if (q) {
      s += ` for ${ip6WithName(b, q.srcOffset, r, tsSec)} > ${ip6WithName(b, q.dstOffset, r, tsSec)} ${ipProtoName(q.upperProtocol >= 0 ? q.upperProtocol : q.nextHeader)}`;
      const qi = f.quotedIcmp6;
      if (qi?.complete && qi.isEcho) s += ` ${qi.typeName} id ${qi.identifier} seq ${qi.sequence}`;
    }
  } else if (m.code !== 0) s += `, code ${m.code}`;
  return s;
}

/** An IPv6 datagram that is not ICMPv6 (or a later fragment): addresses, ports, the fragment. */
export function ipv6Info(f: DecodedFrame): string {
  const ip = f.ipv6!;
  let s = `${f.protocol} ${ip.src}${f.srcPort >= 0 ? `.${f.srcPort}` : ''} > ${ip.dst}${f.dstPort >= 0 ? `.${f.dstPort}` : ''}`;
  const ext = f.ipv6Ext;
  if (ext.isFragment) s += `, fragment offset ${ext.fragmentOffset}${ext.moreFragments ? '+' : ''} id 0x${ext.fragmentId.toString(16)}`;
  return s;
}
