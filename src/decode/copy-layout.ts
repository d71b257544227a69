import type { CopyLayout } from '../copies/copy-layout.js';
import { u16 } from './bytes.js';
import { ETH } from './ethernet.js';
import { IPV4 } from './ipv4.js';
import { EtherType, LinkType } from './names.js';

const IPV4_VERSION = 4;

/**
 * The wire facts the copy merge (src/copies) needs to recognise one IPv4 packet across a routed
 * hop: on Ethernet, an untagged IPv4 ethertype puts the header at 14; TTL and checksum are the
 * bytes a router rewrites. Other link types and tagged frames are merged on identical bytes only.
 */
export const ipv4CopyLayout: CopyLayout = {
  ipv4Start(data: Uint8Array, start: number, capLen: number, linkType: number): number {
    if (linkType !== LinkType.ETHERNET || capLen < ETH.headerLength + IPV4.minHeaderLength) return -1;
    return u16(data, start + ETH.typeOrLength) === EtherType.IPv4 && data[start + ETH.headerLength] >> 4 === IPV4_VERSION ? ETH.headerLength : -1;
  },
  ttlOffset: IPV4.ttl,
  checksumOffset: IPV4.checksum,
};
