import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ipv4ToNumber, macToNumber } from '../../src/annotate/address.js';
import {
  ArpOp,
  FrameDecoder,
  Icmp6Type,
  IcmpType,
  emitArp,
  emitArpFrame,
  emitEchoFrame,
  emitEthernet,
  emitIcmp,
  emitIcmp6,
  emitIpv4,
  emitIpv6,
  emitUdp,
  internetChecksum,
} from '../../src/decode/index.js';
import { EtherType, IpProto } from '../../src/decode/protocol-numbers.js';
import { pcapFile } from '../pcap/build-bytes.js';
import { ip6 } from './ipv6-frames.js';

const MAC_A = macToNumber('02:42:ac:1c:05:02');
const MAC_B = macToNumber('02:42:ac:1c:05:03');
const IP_A = ipv4ToNumber('172.28.5.2');
const IP_B = ipv4ToNumber('172.28.5.3');
const V6_A = Uint8Array.from(ip6('fd42:b5::2'));
const V6_B = Uint8Array.from(ip6('fd42:b5::3'));

const arp = emitEthernet(
  { dst: 0xffffffffffff, src: MAC_A, type: EtherType.ARP },
  emitArp({ op: ArpOp.REQUEST, senderMac: MAC_A, senderIp: IP_A, targetMac: 0, targetIp: IP_B }),
);
const echo = emitEthernet(
  { dst: MAC_B, src: MAC_A, type: EtherType.IPv4 },
  emitIpv4(
    { src: IP_A, dst: IP_B, protocol: IpProto.ICMP, ttl: 63, identification: 0xbeef },
    emitIcmp({ type: IcmpType.ECHO_REQUEST, identifier: 0x1234, sequence: 0xfedc }, Uint8Array.of(1, 2, 3, 4, 5)),
  ),
);
const udp = emitEthernet(
  { dst: MAC_B, src: MAC_A, type: EtherType.IPv4 },
  emitIpv4({ src: IP_A, dst: IP_B, protocol: IpProto.UDP }, emitUdp({ srcPort: 40000, dstPort: 4789 }, new Uint8Array(3))),
);
const echo6Body = Uint8Array.of(0x00, 0x2a, 0x00, 0x07, 9, 9);
const echo6 = emitEthernet(
  { dst: MAC_B, src: MAC_A, type: EtherType.IPv6 },
  emitIpv6(
    { src: V6_A, dst: V6_B, nextHeader: IpProto.ICMPv6, hopLimit: 64 },
    emitIcmp6({ type: Icmp6Type.ECHO_REQUEST, src: V6_A, dst: V6_B }, echo6Body),
  ),
);

describe('emitters write what the views read', () => {
  const dec = new FrameDecoder();

  it('ARP over Ethernet', () => {
    const f = dec.decode(arp, 1);
    expect(f.problem).toBeNull();
    expect(f.eth?.isBroadcast).toBe(true);
    expect(f.arp?.operation).toBe(ArpOp.REQUEST);
    expect(f.arp?.senderMac).toBe('02:42:ac:1c:05:02');
    expect(f.arp?.senderIp).toBe('172.28.5.2');
    expect(f.arp?.targetIp).toBe('172.28.5.3');
    expect(arp.length).toBe(42);
  });

  it('ICMP echo over IPv4, checksums that verify', () => {
    const f = dec.decode(echo, 1);
    expect(f.problem).toBeNull();
    expect(f.ipv4?.ttl).toBe(63);
    expect(f.ipv4?.src).toBe('172.28.5.2');
    expect(f.ipv4?.dst).toBe('172.28.5.3');
    expect(f.icmp?.type).toBe(IcmpType.ECHO_REQUEST);
    expect(f.icmp?.identifier).toBe(0x1234);
    expect(f.icmp?.sequence).toBe(0xfedc);
    expect(internetChecksum(echo, 14, 34)).toBe(0);
    expect(internetChecksum(echo, 34, echo.length)).toBe(0);
  });

  it('UDP ports and length', () => {
    const f = dec.decode(udp, 1);
    expect(f.ipv4?.protocol).toBe(IpProto.UDP);
    expect(f.ipv4?.dstPort).toBe(4789);
    expect((udp[38] << 8) | udp[39]).toBe(11);
  });

  it('ICMPv6 echo over IPv6', () => {
    const f = dec.decode(echo6, 1);
    expect(f.problem).toBeNull();
    expect(f.ipv6?.src).toBe('fd42:b5::2');
    expect(f.ipv6?.hopLimit).toBe(64);
    expect(f.ipv6?.payloadLength).toBe(4 + echo6Body.length);
    expect(f.icmp6?.type).toBe(Icmp6Type.ECHO_REQUEST);
    expect(f.icmp6?.identifier).toBe(0x2a);
    expect(f.icmp6?.sequence).toBe(7);
  });
});

describe('whole-frame emitters', () => {
  const dec = new FrameDecoder();
  const A = { mac: MAC_A, ip: IP_A };
  const B = { mac: MAC_B, ip: IP_B };

  it('an ARP request is the layers built by hand; a reply goes to the target with its MAC', () => {
    expect(emitArpFrame(ArpOp.REQUEST, A, B)).toEqual(arp);
    const f = dec.decode(emitArpFrame(ArpOp.REPLY, B, A), 1);
    expect(f.problem).toBeNull();
    expect(f.arp?.operation).toBe(ArpOp.REPLY);
    expect([f.eth?.dst, f.eth?.src, f.arp?.senderMac, f.arp?.targetMac]).toEqual(['02:42:ac:1c:05:02', '02:42:ac:1c:05:03', '02:42:ac:1c:05:03', '02:42:ac:1c:05:02']);
    expect([f.arp?.senderIp, f.arp?.targetIp]).toEqual(['172.28.5.3', '172.28.5.2']);
  });

  it("an echo carries ping's 56 bytes between the hosts, on their MACs unless routed", () => {
    const f = dec.decode(emitEchoFrame(IcmpType.ECHO_REPLY, B, A, 7, 9), 1);
    expect(f.problem).toBeNull();
    expect([f.ipv4?.src, f.ipv4?.dst, f.eth?.src, f.eth?.dst]).toEqual(['172.28.5.3', '172.28.5.2', '02:42:ac:1c:05:03', '02:42:ac:1c:05:02']);
    expect([f.icmp?.type, f.icmp?.identifier, f.icmp?.sequence]).toEqual([IcmpType.ECHO_REPLY, 7, 9]);
    expect(f.ipv4?.totalLength).toBe(20 + 8 + 56);
    const routed = dec.decode(emitEchoFrame(IcmpType.ECHO_REQUEST, A, B, 1, 1, { src: 0x02_00_00_00_00_01, dst: 0x02_00_00_00_00_02 }), 1);
    expect([routed.ipv4?.src, routed.eth?.src, routed.eth?.dst]).toEqual(['172.28.5.2', '02:00:00:00:00:01', '02:00:00:00:00:02']);
  });
});

/** Wireshark's PROTO_CHECKSUM_E_GOOD, as tshark prints a *.checksum.status field. */
const GOOD = '1';

describe('tshark reads emitted frames as we meant them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bs-emit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fields and checksum status agree', () => {
    const file = join(dir, 'emitted.pcap');
    writeFileSync(file, pcapFile({}, [arp, echo, udp, echo6].map((data, i) => ({ sec: 1_700_000_000 + i, frac: 0, data }))));
    const fields = ['arp.opcode', 'ip.ttl', 'ip.checksum.status', 'icmp.ident', 'icmp.checksum.status', 'udp.dstport', 'icmpv6.echo.identifier', 'icmpv6.checksum.status'];
    const out = execFileSync('tshark', ['-n', '-r', file, '-o', 'ip.check_checksum:TRUE', '-T', 'fields', ...fields.flatMap((e) => ['-e', e])], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const rows = out.trimEnd().split('\n').map((l) => l.split('\t'));
    expect(rows[0][0]).toBe('1');
    expect(rows[1].slice(1, 5)).toEqual(['63', GOOD, '4660', GOOD]);
    expect(rows[2][5]).toBe('4789');
    expect(rows[3].slice(6)).toEqual(['0x002a', GOOD]);
  });
});
