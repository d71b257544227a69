import { describe, expect, it } from 'vitest';
import { FrameDecoder, IcmpType, describeProblem } from '../../src/decode/index.js';
import { hex } from './hex.js';

// Frames copied byte for byte from the public corpus (tcpdump -xx), named after their file.
const arpRequest = hex(`ffff ffff ffff 0016 ce6e 8b24 0806 0001 0800 0604 0001 0016 ce6e 8b24 c0a8 0072
  0000 0000 0000 c0a8 0001`); // csanders__arp_resolution.pcapng #1
const arpReplyPadded = hex(`0016 ce6e 8b24 0013 460b 22ba 0806 0001 0800 0604 0002 0013 460b 22ba c0a8 0001
  0016 ce6e 8b24 c0a8 0072 c0a8 0072`); // #2, 4 bytes of trailer after the ARP message
const arpInTwoTags = hex(`ffff ffff ffff ca03 0db4 001c 8100 b29a 8100 40c8 0806 0001 0800 0604 0001 ca03
  0db4 001c c0a8 02c8 0000 0000 0000 c0a8 02fe`); // pcpp__ArpRequestWithVlan.pcap
const timeExceeded = hex(`0010 db88 d2ef c8bc c896 d2a0 0800 4500 003c 0001 0000 4001 66be 0a00 0001 0a00
  0002 0b00 0920 0000 0000 4500 0020 0001 0000 4011 66ca 0a00 0002 0a00 0001 7530 32c8 000c 932a 5858 5858`); // zeek__icmp__icmp-timeexceeded.pcap
const echoRequest = hex(`0012 804b c07f 0016 d4b8 59b1 0800 4500 003c fefd 0000 8001 f1e6 c0a8 648a c0a8
  6401 0800 145c 0500 3400 6162 6364 6566 6768 696a 6b6c 6d6e 6f70 7172 7374 7576 7761 6263 6465 6667 6869`); // csanders__icmp_echo.pcapng #1

describe('FrameDecoder on Ethernet', () => {
  const dec = new FrameDecoder();

  it('decodes an ARP request field by field', () => {
    const f = dec.decode(arpRequest, 1);
    expect(f.problem).toBeNull();
    expect(f.eth?.src).toBe('00:16:ce:6e:8b:24');
    expect(f.eth?.isBroadcast).toBe(true);
    expect(f.etherType).toBe(0x0806);
    expect(f.protocol).toBe('ARP');
    const arp = f.arp!;
    expect(arp.operation).toBe(1);
    expect(arp.senderMac).toBe('00:16:ce:6e:8b:24');
    expect(arp.senderIp).toBe('192.168.0.114');
    expect(arp.targetIp).toBe('192.168.0.1');
    expect(arp.targetMac).toBe('00:00:00:00:00:00');
    expect(arp.isGratuitous).toBe(false);
    expect(arp.isProbe).toBe(false);
    expect(f.srcMacNum).toBe(0x0016ce6e8b24);
  });

  it('ignores Ethernet trailer bytes after an ARP reply', () => {
    const f = dec.decode(arpReplyPadded, 1);
    expect(f.problem).toBeNull();
    expect(f.arp?.operation).toBe(2);
    expect(f.arp?.senderIpNum).toBe(0xc0a80001);
    expect(f.arp?.targetMac).toBe('00:16:ce:6e:8b:24');
  });

  it('walks stacked 802.1Q tags to the ARP inside', () => {
    const f = dec.decode(arpInTwoTags, 1);
    expect(f.vlan.count).toBe(2);
    expect(f.vlan.ids()).toEqual([666, 200]);
    expect(f.vlan.pcp(0)).toBe(5);
    expect(f.vlan.dei(0)).toBe(true);
    expect(f.vlan.pcp(1)).toBe(2);
    expect(f.etherType).toBe(0x0806);
    expect(f.arp?.targetIp).toBe('192.168.2.254');
  });

  it('decodes an ICMP echo request with id and sequence', () => {
    const f = dec.decode(echoRequest, 1);
    expect(f.ipv4?.src).toBe('192.168.100.138');
    // Above 2^31: the numbers stay unsigned.
    expect(f.ipv4?.srcNum).toBe(0xc0a8648a);
    expect(f.ipv4?.dstNum).toBe(f.ipv4!.dst.split('.').reduce((n, x) => n * 256 + Number(x), 0));
    expect(f.ipv4?.ttl).toBe(128);
    expect(f.ipv4?.checksumValid()).toBe(true);
    expect(f.icmp?.type).toBe(IcmpType.ECHO_REQUEST);
    expect(f.icmp?.identifier).toBe(1280);
    expect(f.icmp?.sequence).toBe(13312);
    expect(f.icmp?.checksumValid()).toBe(true);
    expect(f.protocol).toBe('ICMP');
  });

  it('ties a time-exceeded message to the datagram it quotes', () => {
    const f = dec.decode(timeExceeded, 1);
    expect(f.icmp?.type).toBe(IcmpType.TIME_EXCEEDED);
    expect(f.icmp?.isError).toBe(true);
    expect(f.quotedIpv4?.src).toBe('10.0.0.2');
    expect(f.quotedIpv4?.dst).toBe('10.0.0.1');
    expect(f.quotedIpv4?.protocol).toBe(17);
    expect(f.quotedIcmp).toBeNull();
  });

  it('flags a bad ICMP checksum without refusing the frame', () => {
    const bad = echoRequest.slice();
    bad[0x24] ^= 0xff;
    const f = dec.decode(bad, 1);
    expect(f.icmp?.checksumValid()).toBe(false);
    expect(f.problem).toBeNull();
  });

  it('marks every truncation point instead of throwing', () => {
    for (let len = 0; len < echoRequest.length; len++) {
      const f = dec.decode(echoRequest.subarray(0, len), 1, echoRequest.length);
      if (len < 14) expect(f.problem?.layer).toBe('ethernet');
      else if (len < 34) expect(f.problem?.layer).toBe('ipv4');
      else if (len < 42) expect(f.problem?.layer).toBe('icmp');
      else expect(f.problem).toBeNull();
      if (f.problem) {
        expect(f.problem.code).toBe('truncated');
        expect(describeProblem(f.problem)).toContain('truncated');
      }
    }
  });

  it('reports an IPv4 total length beyond an untruncated frame as malformed', () => {
    const bogus = echoRequest.slice();
    bogus[16] = 0x05; // total length 0x053c
    const f = dec.decode(bogus, 1);
    expect(f.problem?.code).toBe('malformed');
    expect(f.problem?.layer).toBe('ipv4');
    expect(f.icmp?.identifier).toBe(1280);
  });

  it('names what it does not open', () => {
    const lldp = echoRequest.slice(0, 20);
    lldp[12] = 0x88;
    lldp[13] = 0xcc;
    expect(dec.decode(lldp, 1).protocol).toBe('LLDP');
    lldp[13] = 0xb5;
    expect(dec.decode(lldp, 1).protocol).toBe('EtherType 0x88b5');
    expect(dec.decode(lldp, 160).protocol).toBe('link type 160');
  });

  it('reuses one frame object: no allocation per decode', () => {
    const a = dec.decode(arpRequest, 1);
    const b = dec.decode(echoRequest, 1);
    expect(a).toBe(b);
    expect(b.arp).toBeNull();
  });
});

describe('FrameDecoder on other link types', () => {
  const dec = new FrameDecoder();

  it('decodes ICMP in Linux cooked (SLL) framing', () => {
    const sll = new Uint8Array(16 + echoRequest.length - 14);
    sll.set([0, 0, 0, 1, 0, 6, 0, 0x16, 0xd4, 0xb8, 0x59, 0xb1, 0, 0, 0x08, 0x00]);
    sll.set(echoRequest.subarray(14), 16);
    const f = dec.decode(sll, 113);
    expect(f.link).toBe('sll');
    expect(f.sll?.src).toBe('00:16:d4:b8:59:b1');
    expect(f.icmp?.sequence).toBe(13312);
  });

  it('decodes raw IPv4 by its version nibble', () => {
    const f = dec.decode(echoRequest.subarray(14), 101);
    expect(f.ipv4?.dst).toBe('192.168.100.1');
    expect(f.icmp?.identifier).toBe(1280);
  });
});

describe('FrameDecoder in a batch arena', () => {
  it('decodes a frame in place: absolute view offsets, frame-relative problems', () => {
    const arena = new Uint8Array(300);
    arena.set(echoRequest, 100);
    const dec = new FrameDecoder();
    const f = dec.decodeAt(arena, 100, echoRequest.length, 1);
    expect(f.capLen).toBe(echoRequest.length);
    expect(f.icmp?.identifier).toBe(1280);
    expect(f.ipv4?.offset).toBe(114);
    expect(f.frameBytes()).toEqual(echoRequest);
    const cut = dec.decodeAt(arena, 100, 30, 1, echoRequest.length);
    expect(cut.problem).toMatchObject({ code: 'truncated', layer: 'ipv4', offset: 14, actual: 16 });
  });
});
