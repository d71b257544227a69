import type { Endpoint, Resolver } from '../../model/endpoint.js';
import { ArpOp, ETH, ICMP, VLAN, describeProblem, etherTypeName, formatIpv4Number, formatMacNumber, ipProtoName, linkTypeName, type DecodedFrame, type Ipv4View } from '../../decode/index.js';
import { epochText } from '../../present/clock.js';
import { sanitize } from '../../present/sanitize.js';
import { ipv6Layers } from './ipv6-layers.js';

/** One layer of the detail pane: its fields as text lines and the bytes it covers [start, end). */
export interface FrameLayer {
  name: string;
  start: number;
  end: number;
  fields: string[];
}

/** ARP operations as the detail pane names them (expect/'s ARP_OP_PATTERNS are the language's words). */
const ARP_OP_NAMES: Record<number, string> = { [ArpOp.REQUEST]: 'request', [ArpOp.REPLY]: 'reply', [ArpOp.RREQUEST]: 'RARP request', [ArpOp.RREPLY]: 'RARP reply' };

function named(text: string, e: Endpoint | undefined): string {
  return e ? `${text} (${sanitize(e.label)})` : text;
}

function macField(mac: number, r: Resolver, tsSec: number): string {
  if (mac === 0xffffffffffff) return 'ff:ff:ff:ff:ff:ff (broadcast)';
  return named(formatMacNumber(mac), r.byMac(mac, tsSec));
}

function ipField(ip: number, r: Resolver, tsSec: number): string {
  return named(formatIpv4Number(ip), r.byIpv4(ip, tsSec));
}

function ipv4Fields(ip: Ipv4View, r: Resolver, tsSec: number): string[] {
  const flags = [ip.dontFragment ? 'DF' : '', ip.moreFragments ? 'MF' : ''].filter(Boolean).join(' ') || 'none';
  return [
    `source ${ipField(ip.srcNum, r, tsSec)}`,
    `destination ${ipField(ip.dstNum, r, tsSec)}`,
    `header ${ip.headerLength} bytes, total length ${ip.totalLength}, TOS 0x${ip.tos.toString(16).padStart(2, '0')}`,
    `id 0x${ip.identification.toString(16).padStart(4, '0')} (${ip.identification}), flags ${flags}, fragment offset ${ip.fragmentOffset}`,
    `TTL ${ip.ttl}, protocol ${ip.protocol} (${ipProtoName(ip.protocol)}), checksum 0x${ip.checksum.toString(16).padStart(4, '0')}`,
  ];
}

/**
 * The layers of a decoded frame, outermost first, as the detail pane shows them: each field with
 * the container name next to its address. Every string from the network or Docker is sanitised
 * (`hopLine`, where a merged frame was seen, comes sanitised from the store's HopLog).
 */
export function frameLayers(f: DecodedFrame, number: number, tsSec: number, tsNsec: number, r: Resolver, pairLine?: string, hopLine?: string): FrameLayer[] {
  const len = f.bytes.length;
  const layers: FrameLayer[] = [];
  const frameFields = [
    `time ${epochText(tsSec, tsNsec)}`,
    `${f.capLen} bytes captured of ${f.origLen}, link ${linkTypeName(f.linkType)}`,
  ];
  if (hopLine) frameFields.push(hopLine);
  if (pairLine) frameFields.push(sanitize(pairLine));
  if (f.problem) frameFields.push(`problem: ${describeProblem(f.problem)}`);
  layers.push({ name: `Frame ${number}`, start: 0, end: len, fields: frameFields });

  if (f.eth) {
    const e = f.eth;
    layers.push({
      name: 'Ethernet', start: e.offset, end: e.offset + ETH.headerLength,
      fields: [`destination ${macField(e.dstNum, r, tsSec)}`, `source ${macField(e.srcNum, r, tsSec)}`,
        `type 0x${e.typeOrLength.toString(16).padStart(4, '0')} (${e.typeOrLength <= ETH.maxLength ? `length ${e.typeOrLength}` : etherTypeName(e.typeOrLength)})`],
    });
  } else if (f.sll) {
    const s = f.sll;
    layers.push({
      name: f.link === 'sll2' ? 'Linux cooked (SLL2)' : 'Linux cooked (SLL)', start: 0, end: s.headerLength,
      fields: [`source ${s.srcNum === undefined ? sanitize(s.src) : macField(s.srcNum, r, tsSec)}`, `packet type ${sanitize(s.packetTypeName)}`, `protocol 0x${s.protocol.toString(16).padStart(4, '0')} (${etherTypeName(s.protocol)})`],
    });
  }
  for (let i = 0; i < f.vlan.count; i++) {
    const at = f.vlan.tpidOffset[i];
    layers.push({
      name: `802.1Q tag ${i + 1}`, start: at, end: at + VLAN.tagLength,
      fields: [`VLAN ${f.vlan.id(i)}, priority ${f.vlan.pcp(i)}, DEI ${f.vlan.dei(i) ? 1 : 0}`, `TPID 0x${f.vlan.tpid(i).toString(16)}`],
    });
  }
  const arp = f.arp;
  if (arp) {
    const fields = [`operation ${arp.operation} (${ARP_OP_NAMES[arp.operation] ?? 'unknown'})`,
      `hardware type ${arp.hardwareType}, protocol 0x${arp.protocolType.toString(16).padStart(4, '0')}, sizes ${arp.hardwareLength}/${arp.protocolLength}`];
    if (arp.isEthernetIpv4) {
      fields.push(`sender ${macField(arp.senderMacNum, r, tsSec)} ${ipField(arp.senderIpNum, r, tsSec)}`,
        `target ${macField(arp.targetMacNum, r, tsSec)} ${ipField(arp.targetIpNum, r, tsSec)}`);
      if (arp.isProbe) fields.push('probe (sender IP 0.0.0.0)');
      else if (arp.isGratuitous) fields.push('gratuitous (sender IP = target IP)');
    }
    layers.push({ name: 'ARP', start: arp.offset, end: Math.min(len, arp.offset + arp.length), fields });
  }
  if (f.ipv4) {
    const ip = f.ipv4;
    layers.push({ name: 'IPv4', start: ip.offset, end: ip.offset + ip.headerLength, fields: ipv4Fields(ip, r, tsSec) });
  } else if (f.ipv6) layers.push(...ipv6Layers(f, r, tsSec));
  const icmp = f.icmp;
  if (icmp) {
    const sum = icmp.checksum;
    const fields = [`type ${icmp.type}, code ${icmp.code}, checksum ${sum === undefined ? 'not captured' : `0x${sum.toString(16).padStart(4, '0')}`}`];
    if (icmp.hasIdSeq) fields.push(`id ${icmp.identifier} (0x${icmp.identifier.toString(16)}), seq ${icmp.sequence}`);
    const body = icmp.available - ICMP.headerLength;
    if (body > 0 && !icmp.isError) fields.push(`data ${body} bytes`);
    layers.push({ name: 'ICMP', start: icmp.offset, end: icmp.offset + icmp.available, fields });
  }
  const q = f.quotedIpv4;
  if (q) {
    const fields = ipv4Fields(q, r, tsSec);
    const qi = f.quotedIcmp;
    if (qi) fields.push(`quoted ICMP type ${qi.type}, code ${qi.code}${qi.hasIdSeq ? `, id ${qi.identifier}, seq ${qi.sequence}` : ''}`);
    layers.push({ name: 'Quoted datagram', start: q.offset, end: q.offset + q.available, fields });
  }
  return layers;
}
