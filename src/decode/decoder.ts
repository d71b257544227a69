import type { FrameBatch } from '../source/frame-batch.js';
import { ARP, ArpHardware, ArpOp, ArpView } from './arp.js';
import { u16, u32 } from './bytes.js';
import { ETH, EthernetView } from './ethernet.js';
import { emitArpFrame } from './emit.js';
import { DecodedFrame } from './frame.js';
import { ICMP, IcmpView } from './icmp.js';
import { IPV4, Ipv4View } from './ipv4.js';
import { ICMP6, Icmp6View, icmp6TypeName } from './icmp6.js';
import { IPV6, Ipv6View } from './ipv6.js';
import { Ipv6ChainWalk, walkIpv6Chain } from './ipv6-ext.js';
import { EtherType, IpProto, LinkType, etherTypeName, ipProtoName, isVlanTpid, linkTypeName } from './protocol-numbers.js';
import type { ProblemCode } from './problem.js';
import { SLL2, SLL, SLL_PROTO_802_2, SllView } from './sll.js';
import { MAX_VLAN_TAGS, VLAN } from './vlan.js';
import { UDP } from './udp.js';
import { MAX_VXLAN_DEPTH, VXLAN_HEADER_LEN, VXLAN_PORT } from './vxlan.js';

export interface DecoderOptions {
  /** UDP ports opened as VXLAN (either side of the datagram); default 4789 only. */
  vxlanPorts?: readonly number[];
}

/** 802.2 LLC with a SNAP header (RFC 1042): dsap(0) ssap(1) control(2) oui(3..6) type(6..8). */
const enum SNAP { dsap = 0, ssap = 1, control = 2, type = 6, headerLength = 8 }
const enum Llc { SAP_SNAP = 0xaa, SAP_STP = 0x42, CONTROL_UI = 0x03 }
/** PPP in HDLC-like framing (RFC 1662): address and control bytes, then the protocol (RFC 1661). */
const enum Ppp { ADDRESS = 0xff, CONTROL = 0x03, PROTO_IPV4 = 0x0021, PROTO_IPV6 = 0x0057 }
/** BSD loopback: a 4-byte address family in the capturing host's byte order. */
const enum NullLink { headerLength = 4, AF_INET = 2 }
const enum IpVersion { V4 = 4, V6 = 6 }
/** Linux SLL protocol values from here on are ethertypes. */
const ETHERTYPE_MIN = 0x0600;

/**
 * Decodes frames into one reused DecodedFrame. Never throws on frame content: a layer that is
 * short or inconsistent ends decoding with `frame.problem` set.
 *
 * Contract: the returned frame and its views reference `bytes` (no copy) and are overwritten by
 * the next `decode` call. Keep the bytes (copy them) if you need the frame later.
 */
export class FrameDecoder {
  private readonly frame = new DecodedFrame();
  private readonly ethView = new EthernetView();
  private readonly sllView = new SllView();
  private readonly arpView = new ArpView();
  private readonly ipv4View = new Ipv4View();
  private readonly ipv6View = new Ipv6View();
  private readonly icmpView = new IcmpView();
  private readonly quotedIpv4View = new Ipv4View();
  private readonly quotedIcmpView = new IcmpView();
  private readonly icmp6View = new Icmp6View();
  private readonly quotedIpv6View = new Ipv6View();
  private readonly quotedIcmp6View = new Icmp6View();
  private readonly chainWalk = new Ipv6ChainWalk();
  private readonly vxlanPorts: ReadonlySet<number>;

  constructor(opts: DecoderOptions = {}) {
    this.vxlanPorts = new Set(opts.vxlanPorts ?? [VXLAN_PORT]);
  }

  decode(bytes: Uint8Array, linkType: number, origLen = bytes.length): DecodedFrame {
    return this.decodeAt(bytes, 0, bytes.length, linkType, origLen);
  }

  /** Frame `i` of a batch, decoded in place in the batch's arena. */
  decodeFrame(b: FrameBatch, i: number): DecodedFrame {
    return this.decodeAt(b.data, b.offset[i], b.capLen[i], b.interfaces[b.ifIndex[i]]?.linkType ?? 1, b.origLen[i]);
  }

  /**
   * Decodes the frame at `data[start, start + capLen)` without making a view of it: the hot loops
   * over a FrameBatch arena use this, so a frame costs no allocation at all. View offsets are then
   * positions in `data`; `frame.start` is where the frame begins.
   */
  decodeAt(data: Uint8Array, start: number, capLen: number, linkType: number, origLen = capLen): DecodedFrame {
    const f = this.frame;
    if (f.bytes !== data) {
      // Once a batch rather than once a frame, as in ByteView.at.
      f.bytes = data;
      f.vlan.bytes = data;
      f.vxlan.bytes = data;
    }
    f.start = start;
    f.end = start + capLen;
    f.linkType = linkType;
    f.origLen = origLen;
    f.eth = null;
    f.sll = null;
    f.vlan.count = 0;
    f.vxlan.count = 0;
    f.etherType = -1;
    f.networkOffset = -1;
    f.arp = null;
    f.ipv4 = null;
    f.ipv6 = null;
    f.icmp = null;
    f.quotedIpv4 = null;
    f.quotedIcmp = null;
    f.ipv6Ext.reset(data);
    f.icmp6 = null;
    f.ndOptions.reset(data);
    f.quotedIpv6 = null;
    f.quotedIpv6Ext.reset(data);
    f.quotedIcmp6 = null;
    f.srcPort = -1;
    f.dstPort = -1;
    f.problem = null;

    switch (linkType) {
      case LinkType.ETHERNET:
        f.link = 'ethernet';
        this.ethernet(f, start);
        break;
      case LinkType.LINUX_SLL:
        f.link = 'sll';
        this.sll(f, 1, SLL.headerLength);
        break;
      case LinkType.LINUX_SLL2:
        f.link = 'sll2';
        this.sll(f, 2, SLL2.headerLength);
        break;
      case LinkType.RAW:
      case LinkType.IPV4:
      case LinkType.IPV6:
        f.link = 'raw';
        this.rawIp(f, start);
        break;
      case LinkType.PPP:
        f.link = 'ppp';
        this.ppp(f);
        break;
      case LinkType.NULL:
        f.link = 'null';
        this.nullLink(f);
        break;
      default:
        f.link = 'other';
        f.protocol = linkTypeName(linkType);
    }
    return f;
  }

  /** Records the first problem only: later ones are consequences of it. */
  private fail(f: DecodedFrame, code: ProblemCode, layer: string, offset: number, required: number, detail: string): void {
    if (f.problem) return;
    f.problem = { code, layer, offset: offset - f.start, required, actual: Math.max(0, f.end - offset), detail };
  }

  private need(f: DecodedFrame, layer: string, offset: number, required: number): boolean {
    if (f.end - offset >= required) return true;
    this.fail(f, 'truncated', layer, offset, required, `${layer} header incomplete`);
    return false;
  }

  private ethernet(f: DecodedFrame, offset: number): void {
    f.protocol = 'Ethernet';
    if (!this.need(f, 'ethernet', offset, ETH.headerLength)) return;
    const eth = (f.eth = this.ethView.at(f.bytes, offset));
    let type = eth.typeOrLength;
    let at = offset + ETH.headerLength;
    while (isVlanTpid(type)) {
      if (f.vlan.count === MAX_VLAN_TAGS) {
        this.fail(f, 'unsupported', 'vlan', at, 0, `more than ${MAX_VLAN_TAGS} VLAN tags`);
        return;
      }
      f.protocol = '802.1Q';
      if (!this.need(f, 'vlan', at, VLAN.tagLength)) return;
      f.vlan.tpidOffset[f.vlan.count++] = at - VLAN.tci;
      type = u16(f.bytes, at - VLAN.tci + VLAN.innerType);
      at += VLAN.tagLength;
    }
    if (type <= ETH.maxLength) {
      this.llc(f, at);
      return;
    }
    this.network(f, type, at);
  }

  /** 802.3 length frame: only LLC/SNAP with an ethertype is opened; plain LLC stays opaque. */
  private llc(f: DecodedFrame, at: number): void {
    f.protocol = 'LLC';
    const b = f.bytes;
    if (f.end - at >= SNAP.headerLength && b[at + SNAP.dsap] === Llc.SAP_SNAP && b[at + SNAP.ssap] === Llc.SAP_SNAP && b[at + SNAP.control] === Llc.CONTROL_UI) {
      this.network(f, u16(b, at + SNAP.type), at + SNAP.headerLength);
      return;
    }
    if (f.end - at >= 1 && b[at + SNAP.dsap] === Llc.SAP_STP) f.protocol = 'STP';
  }

  private sll(f: DecodedFrame, version: 1 | 2, headerLen: number): void {
    f.protocol = version === 1 ? 'Linux SLL' : 'Linux SLL2';
    if (!this.need(f, f.link, f.start, headerLen)) return;
    const sll = (f.sll = this.sllView.at(f.bytes, f.start));
    sll.version = version;
    const proto = sll.protocol;
    const at = f.start + headerLen;
    if (proto === SLL_PROTO_802_2) this.llc(f, at);
    else if (proto >= ETHERTYPE_MIN) this.network(f, proto, at);
    else f.protocol = `Linux proto 0x${proto.toString(16).padStart(4, '0')}`;
  }

  private nullLink(f: DecodedFrame): void {
    f.protocol = 'NULL';
    const at = f.start;
    if (!this.need(f, 'null', at, NullLink.headerLength)) return;
    // Either byte order: a big-endian AF_INET, or the low byte first.
    if (u32(f.bytes, at) === NullLink.AF_INET || f.bytes[at] === NullLink.AF_INET) this.ipv4(f, at + NullLink.headerLength);
    else this.rawIp(f, at + NullLink.headerLength);
  }

  /** PPP in HDLC-like framing (RFC 1662): optional ff 03, then a 1- or 2-byte protocol field. */
  private ppp(f: DecodedFrame): void {
    f.protocol = 'PPP';
    const b = f.bytes;
    let at = f.end - f.start >= 2 && b[f.start] === Ppp.ADDRESS && b[f.start + 1] === Ppp.CONTROL ? f.start + 2 : f.start;
    if (!this.need(f, 'ppp', at, 1)) return;
    let proto: number;
    if (b[at] & 1) proto = b[at++];
    else {
      if (!this.need(f, 'ppp', at, 2)) return;
      proto = u16(b, at);
      at += 2;
    }
    if (proto === Ppp.PROTO_IPV4) this.network(f, EtherType.IPv4, at);
    else if (proto === Ppp.PROTO_IPV6) this.network(f, EtherType.IPv6, at);
    else f.protocol = `PPP proto 0x${proto.toString(16).padStart(4, '0')}`;
  }

  private rawIp(f: DecodedFrame, at: number): void {
    f.protocol = 'Raw IP';
    if (!this.need(f, 'ip', at, 1)) return;
    const version = f.bytes[at] >> 4;
    if (version === IpVersion.V4) this.network(f, EtherType.IPv4, at);
    else if (version === IpVersion.V6) this.network(f, EtherType.IPv6, at);
    else this.fail(f, 'malformed', 'ip', at, 0, `IP version ${version}`);
  }

  private network(f: DecodedFrame, type: number, at: number): void {
    f.etherType = type;
    f.networkOffset = at;
    if (type === EtherType.IPv4) this.ipv4(f, at);
    else if (type === EtherType.ARP || type === EtherType.RARP) this.arp(f, at, type === EtherType.RARP ? 'RARP' : 'ARP');
    else if (type === EtherType.IPv6) this.ipv6(f, at);
    else f.protocol = etherTypeName(type);
  }

  private arp(f: DecodedFrame, at: number, name: string): void {
    f.protocol = name;
    if (!this.need(f, 'arp', at, ARP.fixedLength)) return;
    const arp = (f.arp = this.arpView.at(f.bytes, at));
    if (arp.hardwareType === ArpHardware.ATM) {
      arp.complete = false;
      this.fail(f, 'unsupported', 'arp', at, 0, 'ATMARP (hardware type 19, RFC 2225) has its own layout; only the operation is read');
      return;
    }
    arp.complete = f.end - at >= arp.length;
    if (!arp.complete) this.fail(f, 'truncated', 'arp', at, arp.length, 'ARP addresses incomplete');
  }

  private ipv4(f: DecodedFrame, at: number): void {
    f.protocol = 'IPv4';
    f.etherType = EtherType.IPv4;
    f.networkOffset = at;
    const ip = this.ipv4View;
    if (!this.readIpv4(f, ip, at, 'ipv4')) return;
    f.ipv4 = ip;
    const proto = ip.protocol;
    f.protocol = ipProtoName(proto);
    // Only the first fragment carries the transport header.
    if (ip.fragmentOffset !== 0) return;
    const l4 = ip.payloadOffset;
    if (proto === IpProto.ICMP) {
      // An ICMP part declared shorter than its header is damage (tshark shows no ICMP fields);
      // one cut short by snaplen still shows what was captured.
      if (ip.totalLength - ip.headerLength < ICMP.headerLength) {
        this.fail(f, 'malformed', 'icmp', l4, ICMP.headerLength, `IP total length leaves ${ip.totalLength - ip.headerLength} bytes for ICMP`);
      } else this.icmp(f, l4, ip.offset + ip.available);
    }
    else if ((proto === IpProto.TCP || proto === IpProto.UDP) && ip.offset + ip.available - l4 >= UDP.portsLength) {
      f.srcPort = u16(f.bytes, l4 + UDP.srcPort);
      f.dstPort = u16(f.bytes, l4 + UDP.dstPort);
      if (proto === IpProto.UDP && (this.vxlanPorts.has(f.dstPort) || this.vxlanPorts.has(f.srcPort))) this.vxlan(f, ip, l4);
    }
  }

  /**
   * Opens a VXLAN datagram: the tunnel is recorded in `f.vxlan` and the inner Ethernet frame is
   * decoded into the frame's own views, so everything downstream sees the inner frame. The inner
   * frame is bounded by the outer datagram (bytes after it, an Ethernet trailer, are not its own).
   */
  private vxlan(f: DecodedFrame, ip: Ipv4View, udp: number): void {
    const end = ip.offset + ip.available;
    if (f.vxlan.count === MAX_VXLAN_DEPTH) {
      this.fail(f, 'unsupported', 'vxlan', udp, 0, `more than ${MAX_VXLAN_DEPTH} nested VXLAN tunnels`);
      return;
    }
    if (end - udp < UDP.headerLength + VXLAN_HEADER_LEN) {
      this.fail(f, 'truncated', 'vxlan', udp + UDP.headerLength, VXLAN_HEADER_LEN, 'VXLAN header incomplete');
      return;
    }
    f.vxlan.push(f.eth ? f.eth.offset : -1, ip.offset, udp);
    const inner = f.vxlan.innerOffset(f.vxlan.count - 1);
    // Narrowed for the inner decode; origLen with it, so a trailer does not pass for a snaplen cut.
    const frameEnd = f.end;
    const origLen = f.origLen;
    f.origLen -= frameEnd - end;
    f.end = end;
    // The outer layers' views are the tunnel's now (kept in f.vxlan): the inner frame sets its own.
    f.ipv4 = null;
    f.srcPort = -1;
    f.dstPort = -1;
    this.ethernet(f, inner);
    f.end = frameEnd;
    f.origLen = origLen;
  }

  /** Validates an IPv4 header at `at`, points `ip` at it; false (with `f.problem`) when unreadable. */
  private readIpv4(f: DecodedFrame, ip: Ipv4View, at: number, layer: string): boolean {
    if (!this.need(f, layer, at, IPV4.minHeaderLength)) return false;
    ip.at(f.bytes, at);
    if (ip.version !== IpVersion.V4) {
      this.fail(f, 'malformed', layer, at, 0, `version ${ip.version}, expected 4`);
      return false;
    }
    const hl = ip.headerLength;
    if (hl < IPV4.minHeaderLength) {
      this.fail(f, 'malformed', layer, at, 0, `header length ${hl} < 20`);
      return false;
    }
    if (!this.need(f, layer, at, hl)) return false;
    const present = f.end - at;
    const total = ip.totalLength;
    if (total < hl) {
      this.fail(f, 'malformed', layer, at, 0, `total length ${total} < header length ${hl}`);
      return false;
    }
    ip.available = Math.min(total, present);
    // A datagram longer than the frame is damage unless snaplen cut the frame (or it is a quote).
    if (layer === 'ipv4' && total > present && !f.truncatedBySnaplen) {
      this.fail(f, 'malformed', layer, at, total, `total length ${total} exceeds the ${present} bytes in the frame`);
    }
    return true;
  }

  private ipv6(f: DecodedFrame, at: number): void {
    f.protocol = 'IPv6';
    if (!this.need(f, 'ipv6', at, IPV6.headerLength)) return;
    const ip = (f.ipv6 = this.ipv6View.at(f.bytes, at));
    ip.upperProtocol = -1;
    ip.upperOffset = -1;
    if (ip.version !== IpVersion.V6) {
      this.fail(f, 'malformed', 'ipv6', at, 0, `version ${ip.version}, expected 6`);
      return;
    }
    const present = f.end - at;
    const total = IPV6.headerLength + ip.payloadLength;
    ip.available = Math.min(total, present);
    if (total > present && !f.truncatedBySnaplen) {
      this.fail(f, 'malformed', 'ipv6', at, total, `payload length ${ip.payloadLength} exceeds the ${present - IPV6.headerLength} bytes in the frame`);
    }
    const end = at + ip.available;
    const next = this.walkExtensions(f, at + IPV6.headerLength, end, ip.nextHeader);
    if (next < 0) return;
    const l4 = ip.upperOffset;
    if (f.ipv6Ext.fragmentOffset !== 0) {
      f.protocol = 'IPv6 fragment';
      return;
    }
    f.protocol = ipProtoName(next);
    if (next === IpProto.ICMPv6) this.icmp6(f, l4, end);
    else if ((next === IpProto.TCP || next === IpProto.UDP) && end - l4 >= UDP.portsLength) {
      f.srcPort = u16(f.bytes, l4 + UDP.srcPort);
      f.dstPort = u16(f.bytes, l4 + UDP.dstPort);
    }
  }

  /** Walks the extension headers from `at`; returns the upper-layer protocol (also set on the view with its offset), or -1 with `f.problem` set. */
  private walkExtensions(f: DecodedFrame, at: number, end: number, next: number): number {
    const w = this.chainWalk;
    if (!walkIpv6Chain(w, f.bytes, at, end, next, f.ipv6Ext)) {
      this.fail(f, w.code!, 'ipv6-ext', w.at, w.need, w.text);
      return -1;
    }
    f.ipv6!.upperProtocol = w.upperProtocol;
    f.ipv6!.upperOffset = w.upperOffset;
    return w.upperProtocol;
  }

  private icmp6(f: DecodedFrame, at: number, end: number): void {
    if (end - at < 2) {
      this.fail(f, 'truncated', 'icmp6', at, ICMP6.headerLength, 'ICMPv6 header incomplete');
      return;
    }
    const icmp = (f.icmp6 = this.icmp6View.at(f.bytes, at));
    icmp.available = end - at;
    const fixed = icmp.fixedLength;
    icmp.complete = icmp.available >= fixed;
    if (!icmp.complete) {
      // Type and code stay readable. A cut by snaplen is truncation; a message declared shorter than its type is damage.
      const code = f.truncatedBySnaplen ? 'truncated' : 'malformed';
      this.fail(f, code, 'icmp6', at, fixed, `${icmp6TypeName(icmp.type)} needs ${fixed} bytes`);
      return;
    }
    if (icmp.isNeighborDiscovery) {
      const bad = f.ndOptions.walk(icmp.optionsOffset, end);
      if (bad !== null) {
        const cut = f.ndOptions.cutShort && f.truncatedBySnaplen;
        this.fail(f, cut ? 'truncated' : 'malformed', 'ndp', icmp.optionsOffset, 0, bad);
      }
    } else if (icmp.isError) this.quoteIpv6(f, icmp.bodyOffset, end);
  }

  /** The datagram an ICMPv6 error quotes (RFC 4443 §2.4: as much as fits); a short quote is not damage. */
  private quoteIpv6(f: DecodedFrame, qAt: number, end: number): void {
    if (end - qAt < IPV6.headerLength || f.bytes[qAt] >> 4 !== IpVersion.V6) return;
    const q = (f.quotedIpv6 = this.quotedIpv6View.at(f.bytes, qAt));
    q.available = Math.min(IPV6.headerLength + q.payloadLength, end - qAt);
    // The quote's own extension headers lead to its upper layer; a chain cut off or damaged there
    // leaves the upper layer unknown (-1), and is no damage to this frame: the quote is what fitted
    // (its chain keeps the headers read before the cut).
    const w = this.chainWalk;
    const walked = walkIpv6Chain(w, f.bytes, qAt + IPV6.headerLength, qAt + q.available, q.nextHeader, f.quotedIpv6Ext);
    q.upperProtocol = walked ? w.upperProtocol : -1;
    q.upperOffset = walked ? w.upperOffset : -1;
    if (walked && q.upperProtocol === IpProto.ICMPv6 && qAt + q.available - q.upperOffset >= ICMP6.headerLength) {
      const qi = (f.quotedIcmp6 = this.quotedIcmp6View.at(f.bytes, q.upperOffset));
      qi.available = qAt + q.available - q.upperOffset;
      qi.complete = qi.available >= qi.fixedLength;
    }
  }

  private icmp(f: DecodedFrame, at: number, end: number): void {
    // Type and code are worth showing even when the rest of the header is missing.
    if (end - at < 2) {
      this.fail(f, 'truncated', 'icmp', at, ICMP.headerLength, 'ICMP header incomplete');
      return;
    }
    const icmp = (f.icmp = this.icmpView.at(f.bytes, at));
    icmp.available = end - at;
    if (icmp.available < ICMP.headerLength) {
      this.fail(f, 'truncated', 'icmp', at, ICMP.headerLength, 'ICMP header incomplete');
      return;
    }
    if (!icmp.isError) return;
    const q = this.quotedIpv4View;
    const qAt = icmp.bodyOffset;
    // A quote too short to read is not damage to this frame: RFC 792 only promises 8 bytes.
    if (end - qAt < IPV4.minHeaderLength || f.bytes[qAt] >> 4 !== IpVersion.V4) return;
    q.at(f.bytes, qAt);
    const hl = q.headerLength;
    if (hl < IPV4.minHeaderLength || end - qAt < hl) return;
    q.available = Math.min(q.totalLength, end - qAt);
    f.quotedIpv4 = q;
    const qPayload = qAt + hl;
    if (q.protocol === IpProto.ICMP && end - qPayload >= ICMP.headerLength) {
      const qi = (f.quotedIcmp = this.quotedIcmpView.at(f.bytes, qPayload));
      qi.available = end - qPayload;
    }
  }
}

/**
 * An ARP request (RFC 826, 10.0.0.1 asking for 10.0.0.2), decoded a few times as this module
 * loads. V8 records type feedback only in a function that has already run a few times, and code it
 * optimised without feedback for a branch is thrown away when the branch first runs: a ping flood
 * whose ARP refresh comes 320 k frames in lost the compiled decodeAt (and everything inlined in it)
 * there. Decoded here, ARP has its feedback before the first frame of any capture.
 */
const ARP_REQUEST = emitArpFrame(ArpOp.REQUEST, { mac: 0x02_00_00_00_00_01, ip: 0x0a_00_00_01 }, { mac: 0, ip: 0x0a_00_00_02 });
const FEEDBACK_RUNS = 16;
const primer = new FrameDecoder();
for (let k = 0; k < FEEDBACK_RUNS; k++) primer.decode(ARP_REQUEST, LinkType.ETHERNET);
