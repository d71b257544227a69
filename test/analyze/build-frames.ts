import type { OwnedFrame } from '../../src/source/frame-batch.js';
import { ipv4ToNumber, macToNumber } from '../../src/annotate/address.js';
import { ArpOp, IcmpType, emitArp, emitEthernet, emitIcmp, emitIpv4, emitUdp } from '../../src/decode/index.js';
import { EtherType, IpProto } from '../../src/decode/protocol-numbers.js';

/** Ethernet/ARP/IPv4/ICMP frames built from values by decode's own emitters. */

export interface Host {
  mac: string;
  ip: string;
}

const BROADCAST = 'ff:ff:ff:ff:ff:ff';
const NO_MAC = '00:00:00:00:00:00';
/** An error quotes the IPv4 header and 8 bytes of what it carried (RFC 792). */
const QUOTE_BYTES = 28;
const ECHO_DATA_BYTES = 16;

function overIpv4(from: Host, to: Host, protocol: IpProto, payload: Uint8Array): Uint8Array {
  const ip = emitIpv4({ src: ipv4ToNumber(from.ip), dst: ipv4ToNumber(to.ip), protocol }, payload);
  return emitEthernet({ dst: macToNumber(to.mac), src: macToNumber(from.mac), type: EtherType.IPv4 }, ip);
}

export function arpFrame(op: ArpOp.REQUEST | ArpOp.REPLY, sender: Host, target: { mac?: string; ip: string }, ethDst?: string): Uint8Array {
  const arp = emitArp({
    op,
    senderMac: macToNumber(sender.mac),
    senderIp: ipv4ToNumber(sender.ip),
    targetMac: macToNumber(target.mac ?? NO_MAC),
    targetIp: ipv4ToNumber(target.ip),
  });
  const dst = ethDst ?? (op === ArpOp.REQUEST ? BROADCAST : target.mac!);
  return emitEthernet({ dst: macToNumber(dst), src: macToNumber(sender.mac), type: EtherType.ARP }, arp);
}

/** Echo request or reply between two hosts, 16 bytes of payload. */
export function echoFrame(type: IcmpType.ECHO_REPLY | IcmpType.ECHO_REQUEST, from: Host, to: Host, id: number, seq: number): Uint8Array {
  return overIpv4(from, to, IpProto.ICMP, emitIcmp({ type, identifier: id, sequence: seq }, new Uint8Array(ECHO_DATA_BYTES)));
}

/** An ICMP error (unreachable, time exceeded) from `by` to `to`, quoting `quoted` (an IP datagram's frame). */
export function icmpErrorFrame(type: IcmpType, code: number, by: Host, to: Host, quotedFrame: Uint8Array): Uint8Array {
  const quote = quotedFrame.subarray(14, 14 + QUOTE_BYTES);
  return overIpv4(by, to, IpProto.ICMP, emitIcmp({ type, code }, quote));
}

export function udpFrame(from: Host, to: Host, srcPort: number, dstPort: number): Uint8Array {
  return overIpv4(from, to, IpProto.UDP, emitUdp({ srcPort, dstPort }, new Uint8Array(4)));
}

/** A timeline of frames: each `at(ms, bytes)` is one frame at that many ms after t0. */
export class Timeline {
  readonly frames: OwnedFrame[] = [];
  constructor(private readonly t0Sec = 1_700_000_000) {}

  at(ms: number, bytes: Uint8Array, ifIndex = 0): this {
    const totalNs = Math.round(ms * 1e6);
    this.frames.push({
      tsSec: this.t0Sec + Math.floor(totalNs / 1e9),
      tsNsec: totalNs % 1e9,
      capLen: bytes.length,
      origLen: bytes.length,
      ifIndex,
      linkType: 1,
      bytes,
    });
    return this;
  }
}

export const A: Host = { mac: '02:42:ac:1e:00:0a', ip: '172.30.0.10' };
export const B: Host = { mac: '02:42:ac:1e:00:0b', ip: '172.30.0.11' };
export const C: Host = { mac: '02:42:ac:11:00:02', ip: '172.17.0.2' };
