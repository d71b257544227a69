import { describe, expect, it } from 'vitest';
import { linkLocalOf } from '../../src/annotate/address.js';
import { TopologyResolver } from '../../src/annotate/topology-resolver.js';
import { formatMatchReport } from '../../src/expect/match-report.js';
import { matchExpectation, parseExpectation, sequence } from '../../src/index.js';
import type { OwnedFrame } from '../../src/source/frame-batch.js';
import { MAC_A, MAC_B, ipv6EdgeCases } from '../decode/ipv6-frames.js';

const mac = (m: number[]) => m.map((x) => x.toString(16).padStart(2, '0')).join(':');
const resolver = new TopologyResolver({
  version: 2, capturedAt: '', interfaces: [], bridges: [], networks: [], containers: [], routes: [],
  endpoints: [
    { containerId: 'a1', container: 'alpha-web', network: 'dual', networkId: 'n1', mac: mac(MAC_A), ipv6: ['fd42:b5::2', linkLocalOf(mac(MAC_A))] },
    { containerId: 'b1', container: 'beta-db', network: 'dual', networkId: 'n1', mac: mac(MAC_B), ipv6: ['fd42:b5::3', linkLocalOf(mac(MAC_B))] },
  ],
});
const frames: OwnedFrame[] = ipv6EdgeCases().map((bytes, i) => ({ tsSec: 1_700_000_000, tsNsec: i * 1e6, capLen: bytes.length, origLen: bytes.length, ifIndex: 0, linkType: 1, bytes }));
const match = (text: string) => matchExpectation(frames, text, { resolver });

describe('ndp and icmp6 expectations', () => {
  it('parses the new words with the ARP and ICMP modifiers', () => {
    const e = parseExpectation('ndp solicit alpha-web -> beta-db within 1s\nicmp6 echo-request fd42:b5::2 -> beta-db id 6 seq 0\nno icmp6 too-big');
    expect(e.groups[0].steps[0].pattern).toMatchObject({ proto: 'ndp', op: 'solicit', from: { kind: 'name', name: 'alpha-web' } });
    expect(e.groups[1].steps[0].pattern).toMatchObject({ proto: 'icmp6', op: 'echo-request', from: { kind: 'ip6', text: 'fd42:b5::2' }, id: 6, seq: 0 });
    expect(e.forbidden[0].pattern).toMatchObject({ proto: 'icmp6', op: 'too-big' });
    expect(() => parseExpectation('ndp who-has alpha-web -> beta-db')).toThrow(/expected "->" after who-has/);
    expect(() => parseExpectation('ndp advert x')).toThrow(/expected a count after x/);
    expect(() => parseExpectation('ndp advert id 3')).toThrow(/expected x N, x N..M, at least N, at most N, within D$/);
  });

  it('matches NS, NA, echo and errors by name, address and MAC', () => {
    const ok = match([
      'ndp solicit alpha-web -> beta-db',
      'ndp advert beta-db -> alpha-web within 5ms',
      'ndp solicit 02:42:ac:1c:05:02 -> fd42:b5::2',
      'icmp6 echo-request alpha-web -> beta-db id 6 seq 0',
      'icmp6 echo-reply beta-db -> alpha-web',
      'icmp6 unreachable to alpha-web id 6 seq 0',
      'icmp6 too-big to alpha-web',
      'icmp6 time-exceeded to alpha-web',
    ].join('\n'));
    expect(ok.ok, JSON.stringify(ok.steps)).toBe(true);
    const built = matchExpectation(frames, sequence().ndp('solicit', 'alpha-web', 'beta-db').then().icmp6('echo-reply', 'beta-db', 'alpha-web', { seq: 0 }).build(), { resolver });
    expect(built.ok).toBe(true);
  });

  it('fails with a near miss that says why', () => {
    const r = match('ndp advert alpha-web -> beta-db');
    expect(r.ok).toBe(false);
    expect(formatMatchReport(r)).toContain('source is beta-db (fd42:b5::3), expected alpha-web; target is alpha-web (fd42:b5::2), expected beta-db');
    expect(match('no ndp from beta-db').ok).toBe(false);
    expect(match('no icmp6 echo-request from beta-db').ok).toBe(true);
    expect(match('icmp6 echo-request x3').ok).toBe(true); // plain, behind extension headers, in a first fragment
    expect(match('icmp6 echo-request x4').ok).toBe(false);
  });
});
