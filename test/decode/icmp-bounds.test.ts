import { describe, expect, it } from 'vitest';
import { FrameDecoder } from '../../src/decode/index.js';
import { noNames } from '../../src/model/endpoint.js';
import { frameInfo } from '../../src/present/frame-info.js';
import { frameLayers } from '../../src/tui/view-model/frame-layers.js';
import { hex } from './hex.js';

// Ethernet + IPv4 (total length 28: an 8-byte ICMP header), from 172.30.0.10 to 172.30.0.11.
const head = hex(`0242 ac1e 000b 0242 ac1e 000a 0800 4500 001c 0001 0000 4001 0000 ac1e 000a ac1e 000b`);

/** The frame cut by snaplen `icmpBytes` into ICMP, lying in an arena whose next bytes are 0x45 ('E'). */
function cutInArena(type: number, icmpBytes: number) {
  const icmp = Uint8Array.of(type, 1, 0xab, 0xcd, 0x0a, 0x0b, 0x0c, 0x0d).subarray(0, icmpBytes);
  const arena = new Uint8Array(head.length + icmpBytes + 16).fill(0x45);
  arena.set(head);
  arena.set(icmp, head.length);
  return new FrameDecoder().decodeAt(arena, 0, head.length + icmpBytes, 1, head.length + 8);
}

describe('ICMP getters stop at the end of the message (finding 5)', () => {
  for (const n of [2, 3, 4, 5, 6, 7]) {
    it(`a redirect of ${n} bytes names no gateway from the bytes after the frame`, () => {
      const f = cutInArena(5, n);
      expect(f.icmp?.type).toBe(5);
      expect(f.icmp?.gatewayNum).toBeUndefined();
      const s = frameInfo(f, noNames, 0);
      expect(s).toMatch(/^ICMP redirect host/);
      expect(s).not.toContain('69.69');
    });
  }

  it('a message of 2 or 3 bytes has no checksum; of 4 it has the captured one', () => {
    expect(cutInArena(8, 2).icmp?.checksum).toBeUndefined();
    expect(cutInArena(8, 3).icmp?.checksum).toBeUndefined();
    expect(cutInArena(8, 4).icmp?.checksum).toBe(0xabcd);
    expect(cutInArena(3, 7).icmp?.nextHopMtu).toBeUndefined();
  });

  it('idSeq is identifier * 65536 + sequence, and -1 until both are captured', () => {
    const whole = cutInArena(8, 8).icmp!;
    expect([whole.identifier, whole.sequence, whole.idSeq]).toEqual([0x0a0b, 0x0c0d, 0x0a0b * 65536 + 0x0c0d]);
    const high = cutInArena(0, 8).icmp!;
    high.bytes[high.offset + 4] = 0xfe;
    expect(high.idSeq).toBe(high.identifier * 65536 + high.sequence);
    for (const n of [4, 5, 6, 7]) expect(cutInArena(8, n).icmp?.idSeq).toBe(-1);
  });

  it('the detail pane shows no checksum read from the next record', () => {
    const layer = frameLayers(cutInArena(8, 3), 1, 0, 0, noNames).find((l) => l.name === 'ICMP')!;
    expect(layer.fields[0]).toBe('type 8, code 1, checksum not captured');
    const whole = frameLayers(cutInArena(8, 4), 1, 0, 0, noNames).find((l) => l.name === 'ICMP')!;
    expect(whole.fields[0]).toBe('type 8, code 1, checksum 0xabcd');
  });
});
