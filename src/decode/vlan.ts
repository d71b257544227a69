import { u16 } from './bytes.js';

/** One 802.1Q/802.1ad tag, from its TPID: tpid(0..2) tci(2..4); the next type follows at 4. */
export const enum VLAN {
  tpid = 0,
  tci = 2,
  innerType = 4,
  /** A tag's TPID and TCI; the inner type follows them. */
  tagLength = 4,
}
export const MAX_VLAN_TAGS = 8;
const VID_MASK = 0x0fff;
const DEI = 0x1000;
const PCP_SHIFT = 13;

/**
 * The stack of tags of one frame, outermost first. Offsets point at each tag's TPID so the
 * hex view can highlight the whole tag.
 */
export class VlanStack {
  bytes: Uint8Array = new Uint8Array(0);
  count = 0;
  readonly tpidOffset = new Int32Array(MAX_VLAN_TAGS);

  tpid(i: number): number {
    return u16(this.bytes, this.tpidOffset[i] + VLAN.tpid);
  }
  tci(i: number): number {
    return u16(this.bytes, this.tpidOffset[i] + VLAN.tci);
  }
  id(i: number): number {
    return this.tci(i) & VID_MASK;
  }
  pcp(i: number): number {
    return this.tci(i) >> PCP_SHIFT;
  }
  dei(i: number): boolean {
    return (this.tci(i) & DEI) !== 0;
  }
  ids(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.id(i));
    return out;
  }
}
