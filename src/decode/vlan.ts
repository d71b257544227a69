import { u16 } from './bytes.js';

/** One 802.1Q/802.1ad tag: TPID was the preceding 2 bytes; TCI(0..2), inner type(2..4). */
export const VLAN_TAG_LEN = 4;
export const MAX_VLAN_TAGS = 8;

/**
 * The stack of tags of one frame, outermost first. Offsets point at each tag's TPID so the
 * hex view can highlight the whole tag.
 */
export class VlanStack {
  bytes: Uint8Array = new Uint8Array(0);
  count = 0;
  readonly tpidOffset = new Int32Array(MAX_VLAN_TAGS);

  tpid(i: number): number {
    return u16(this.bytes, this.tpidOffset[i]);
  }
  tci(i: number): number {
    return u16(this.bytes, this.tpidOffset[i] + 2);
  }
  id(i: number): number {
    return this.tci(i) & 0x0fff;
  }
  pcp(i: number): number {
    return this.tci(i) >> 13;
  }
  dei(i: number): boolean {
    return (this.tci(i) & 0x1000) !== 0;
  }
  ids(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.id(i));
    return out;
  }
}
