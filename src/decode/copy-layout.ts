import type { CopyLayout } from '../copies/copy-layout.js';
import { u16 } from './bytes.js';
import { ETH } from './ethernet.js';
import { IPV4 } from './ipv4.js';
import { EtherType, IpProto, LinkType } from './protocol-numbers.js';
import { UDP } from './udp.js';
import { VXLAN_HEADER_LEN, VXLAN_PORT } from './vxlan.js';

const IPV4_VERSION = 4;
/** The low nibble of the first byte: the header length in 4-byte words. */
const IHL_MASK = 0x0f;
const IHL_UNIT = 4;

/**
 * The wire facts the copy merge (src/copies) needs to recognise one IPv4 packet across a routed
 * hop: on Ethernet, an untagged IPv4 ethertype puts the header at 14; TTL and checksum are the
 * bytes a router rewrites. Other link types and tagged frames are merged on identical bytes only.
 * A VXLAN datagram on one of `vxlanPorts` (IANA's 4789 unless told: Docker's `--data-path-port`
 * moves it) opens to its inner frame, so an overlay frame seen on one host's veth and on the
 * underlay between hosts is recognised as one.
 */
export function copyLayoutFor(vxlanPorts: readonly number[] = [VXLAN_PORT]): CopyLayout {
  const ports = new Set(vxlanPorts);
  return {
    ipv4Start,
    vxlanInnerStart(data: Uint8Array, start: number, capLen: number, linkType: number): number {
      const ip = ipv4Start(data, start, capLen, linkType);
      if (ip < 0 || data[start + ip + IPV4.protocol] !== IpProto.UDP) return -1;
      const udp = ip + (data[start + ip + IPV4.versionIhl] & IHL_MASK) * IHL_UNIT;
      const inner = udp + UDP.headerLength + VXLAN_HEADER_LEN;
      if (capLen < inner + ETH.headerLength) return -1;
      return ports.has(u16(data, start + udp + UDP.srcPort)) || ports.has(u16(data, start + udp + UDP.dstPort)) ? inner : -1;
    },
    ttlOffset: IPV4.ttl,
    checksumOffset: IPV4.checksum,
  };
}

/** The layout with VXLAN on 4789 only. */
export const ipv4CopyLayout: CopyLayout = copyLayoutFor();

function ipv4Start(data: Uint8Array, start: number, capLen: number, linkType: number): number {
  if (linkType !== LinkType.ETHERNET || capLen < ETH.headerLength + IPV4.minHeaderLength) return -1;
  return u16(data, start + ETH.typeOrLength) === EtherType.IPv4 && data[start + ETH.headerLength] >> 4 === IPV4_VERSION ? ETH.headerLength : -1;
}
