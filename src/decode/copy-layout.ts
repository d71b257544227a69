import type { CopyLayout } from '../copies/copy-layout.js';
import { u16 } from './bytes.js';
import { ETH_HEADER_LEN } from './ethernet.js';
import { IPV4_CHECKSUM_OFFSET, IPV4_MIN_HEADER_LEN, IPV4_PROTO_OFFSET, IPV4_TTL_OFFSET } from './ipv4.js';
import { EtherType, IpProto, LinkType } from './names.js';
import { UDP_HEADER_LEN, VXLAN_HEADER_LEN, VXLAN_PORT } from './vxlan.js';

/**
 * The wire facts the copy merge (src/copies) needs to recognise one IPv4 packet across a routed
 * hop: on Ethernet, an untagged IPv4 ethertype puts the header at 14; TTL and checksum are the
 * bytes a router rewrites. Other link types and tagged frames are merged on identical bytes only.
 * A VXLAN datagram on IANA's port opens to its inner frame, so an overlay frame seen on one host's
 * veth and on the underlay between hosts is recognised as one (a `--data-path-port` other than
 * 4789 is not opened here).
 */
export const ipv4CopyLayout: CopyLayout = {
  ipv4Start(data: Uint8Array, start: number, capLen: number, linkType: number): number {
    if (linkType !== LinkType.ETHERNET || capLen < ETH_HEADER_LEN + IPV4_MIN_HEADER_LEN) return -1;
    // The ethertype closes the header.
    return u16(data, start + ETH_HEADER_LEN - 2) === EtherType.IPv4 && data[start + ETH_HEADER_LEN] >> 4 === 4 ? ETH_HEADER_LEN : -1;
  },
  vxlanInnerStart(data: Uint8Array, start: number, capLen: number, linkType: number): number {
    const ip = this.ipv4Start(data, start, capLen, linkType);
    if (ip < 0 || data[start + ip + IPV4_PROTO_OFFSET] !== IpProto.UDP) return -1;
    const udp = ip + (data[start + ip] & 0x0f) * 4;
    const inner = udp + UDP_HEADER_LEN + VXLAN_HEADER_LEN;
    if (capLen < inner + ETH_HEADER_LEN) return -1;
    const port = (o: number) => u16(data, start + udp + o);
    return port(0) === VXLAN_PORT || port(2) === VXLAN_PORT ? inner : -1;
  },
  ttlOffset: IPV4_TTL_OFFSET,
  checksumOffset: IPV4_CHECKSUM_OFFSET,
};
