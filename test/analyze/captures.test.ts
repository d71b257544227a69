import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusDir, describeCorpus, tsharkFields } from '../support/corpus.js';
import { Analyzer, analyzeSource } from '../../src/analyze/index.js';
import { matchExpectation, parseExpectation, formatMatchReport } from '../../src/expect/index.js';
import { sidecarPath } from '../../src/annotate/snapshot.js';
import { loadSnapshotFile } from '../../src/session/snapshot-load.js';
import { TopologyResolver } from '../../src/annotate/topology-resolver.js';
import { FrameDecoder } from '../../src/decode/index.js';
import { openCaptureFile } from '../../src/pcap/index.js';


/** Every frame through the analyzer; returns it (unfinished, so annotations are still there) and the frame count. */
async function analyzeFile(path: string): Promise<{ analyzer: Analyzer; frames: number }> {
  const analyzer = new Analyzer({ annotateFrames: 1 << 16 });
  const dec = new FrameDecoder();
  let n = 0;
  for await (const b of openCaptureFile(path)) {
    for (let i = 0; i < b.count; i++) {
      const s = b.offset[i];
      analyzer.observe(dec.decode(b.data.subarray(s, s + b.capLen[i]), b.interfaces[b.ifIndex[i]].linkType, b.origLen[i]), ++n, b.tsSec[i], b.tsNsec[i]);
    }
  }
  return { analyzer, frames: n };
}

describeCorpus('echo pairing agrees with tshark (icmp.resp_to, icmp.resptime)', () => {
  it.each(['csanders__icmp_echo.pcapng', 'zeek__icmp_dot1q.pcap', 'csanders__icmp_traceroute.pcapng'])('%s', async (file) => {
    const { analyzer, frames } = await analyzeFile(join(corpusDir, file));
    const theirs = tsharkFields(file).rows.filter((r) => r['icmp.resp_to']).map((r) => [Number(r['frame.number']), Number(r['icmp.resp_to']), Number(r['icmp.resptime'])]);
    expect(theirs.length).toBeGreaterThan(0);
    const ours: number[][] = [];
    for (let n = 1; n <= frames; n++) {
      const a = analyzer.annotation(n);
      if (a?.role === 'reply' && a.transaction.kind === 'echo') ours.push([n, a.transaction.requestFrame, a.transaction.rttNs / 1e6]);
    }
    expect(ours.map(([n, req]) => [n, req])).toEqual(theirs.map(([n, req]) => [n, req]));
    // tshark prints milliseconds with 3 decimals.
    ours.forEach(([, , ms], i) => expect(Math.abs(ms - theirs[i][2])).toBeLessThanOrEqual(0.0005 + 1e-9));
  });

  it('ties the zeek destination-unreachable frame to its quoted UDP datagram', async () => {
    const r = await analyzeSource(openCaptureFile(join(corpusDir, 'zeek__icmp__icmp-destunreach-udp.pcap')));
    expect(r.findings.map((f) => f.kind)).toEqual(['icmp-unreachable']);
    expect(r.findings[0].text).toMatch(/port unreachable for \d+\.\d+\.\d+\.\d+ > \d+\.\d+\.\d+\.\d+ UDP port \d+/);
  });

  it('finds the gratuitous ARP and the ARP probes of the corpus', async () => {
    const g = await analyzeSource(openCaptureFile(join(corpusDir, 'csanders__arp_gratuitous.pcapng')));
    expect(g.findings.map((f) => f.kind)).toEqual(['arp-gratuitous']);
    const rows = tsharkFields('sv__output-eve-ftp-data__input.pcap').rows.filter((r) => r['arp.opcode'] === '1' && r['arp.src.proto_ipv4'] === '0.0.0.0');
    const p = await analyzeSource(openCaptureFile(join(corpusDir, 'sv__output-eve-ftp-data__input.pcap')));
    const probes = p.findings.filter((f) => f.kind === 'arp-probe').map((f) => f.frames[0]);
    expect(rows.length).toBeGreaterThan(0);
    expect(probes).toEqual(rows.map((r) => Number(r['frame.number'])));
  });
});

const SEED = 'captures/seed-ping.pcap';
const seedExpectation = `# captures/seed-ping.pcap: web-bridge-1 pings web-bridge-2 four times on br_xx
arp request web-bridge-1 -> web-bridge-2
arp reply web-bridge-2 -> web-bridge-1 within 10ms
any order
  icmp echo-request web-bridge-1 -> web-bridge-2 x4
  icmp echo-reply web-bridge-2 -> web-bridge-1 x4
end
no arp from web-default
`;

describe.skipIf(!existsSync(SEED))('the shipped seed capture through the public API', () => {
  it('meets the seed sequence, named from the sidecar snapshot', async () => {
    const resolver = new TopologyResolver(await loadSnapshotFile(sidecarPath(SEED)));
    const r = await matchExpectation(openCaptureFile(SEED), parseExpectation(seedExpectation, 'seed.expect'), { resolver });
    expect(r.ok, formatMatchReport(r)).toBe(true);
    expect(r.steps[0].frames).toHaveLength(1);
    expect(r.steps[2].frames).toHaveLength(4);
  });

  it('summarises the pair with 4 answered pings, no loss, and sub-ms RTTs', async () => {
    const resolver = new TopologyResolver(await loadSnapshotFile(sidecarPath(SEED)));
    const r = await analyzeSource(openCaptureFile(SEED), { resolver });
    const pair = r.pairs.find((p) => p.a === 'web-bridge-1' && p.b === 'web-bridge-2')!;
    expect(pair.icmp).toMatchObject({ requests: 4, replies: 4, lost: 0, loss: 0 });
    expect(pair.icmp.rtt.maxNs).toBeLessThan(1e6);
    expect(pair.arp.requests).toBeGreaterThanOrEqual(1);
    expect(r.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
});
