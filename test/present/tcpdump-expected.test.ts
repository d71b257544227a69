import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { noNames } from '../../src/model/endpoint.js';
import { FrameDecoder } from '../../src/decode/index.js';
import { openCaptureFile } from '../../src/pcap/open.js';
import { frameInfo } from '../../src/present/frame-info.js';
import { corpusDir, corpusPresent, describeCorpus } from '../support/corpus.js';

/**
 * tcpdump's own expected outputs (corpus tcpdump-out/, `tcpdump -# -n -r FILE -tttt ARGS` in GMT):
 * for every frame line, our frame with the same number has the same time (to tcpdump's digits),
 * and where tcpdump prints an ARP or ICMP echo summary, ours says the same: who-has/tell,
 * is-at, echo request/reply with id and seq, the VLAN ids, and truncation where tcpdump shows [|arp].
 */
interface OutFile {
  out: string;
  capture: string;
  nano: boolean;
}

function outFiles(): OutFile[] {
  const index = readFileSync(join(corpusDir, 'tcpdump-out', 'INDEX.tsv'), 'utf8').split('\n').slice(1).filter(Boolean);
  return index
    .map((l) => l.split('\t'))
    // SPECIAL_t tests print other time formats; -tttt (the default of the harness) is what we compare.
    .filter(([, , , args]) => !args.includes('SPECIAL_t'))
    .map(([out, capture, , args]) => ({ out, capture, nano: args.includes('--nano') }));
}

const LINE = /^\s*(\d+)\s+(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+) (.*)$/;

function gmt(sec: number, nsec: number, digits: number): string {
  const d = new Date(sec * 1000);
  const frac = digits === 9 ? nsec : Math.floor(nsec / 1000);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)}.${String(frac).padStart(digits, '0')}`;
}

interface Ours {
  time: (digits: number) => string;
  summary: string;
  vlans: number[];
  problemLayer?: string;
}

async function decodeAll(file: string): Promise<Ours[]> {
  const dec = new FrameDecoder();
  const out: Ours[] = [];
  try {
    for await (const b of openCaptureFile(file)) {
      for (let i = 0; i < b.count; i++) {
        const f = dec.decodeFrame(b, i);
        const sec = b.tsSec[i];
        const nsec = b.tsNsec[i];
        out.push({ time: (d) => gmt(sec, nsec, d), summary: frameInfo(f, noNames, sec), vlans: f.vlan.ids(), problemLayer: f.problem?.layer });
      }
    }
  } catch {
    // Damaged files: the frames before the damage are what tcpdump printed too.
  }
  return out;
}

describeCorpus("our frames answer to tcpdump's expected output", () => {
  const files = corpusPresent ? outFiles() : [];
  it.each(files.map((f) => [f.out, f] as const))('%s', async (_name, f) => {
    const lines = readFileSync(join(corpusDir, 'tcpdump-out', f.out), 'utf8').split('\n').map((l) => LINE.exec(l)).filter((m) => m !== null);
    const ours = await decodeAll(join(corpusDir, f.capture));
    expect(ours.length).toBeGreaterThanOrEqual(lines.length);
    const diffs: string[] = [];
    for (const m of lines) {
      const n = Number(m[1]);
      const mine = ours[n - 1];
      const digits = m[2].length - m[2].indexOf('.') - 1;
      if (mine.time(digits) !== m[2]) diffs.push(`frame ${n}: time tcpdump ${m[2]}, ours ${mine.time(digits)}`);
      const text = m[3];
      const expectIn = (want: string) => {
        if (!mine.summary.includes(want)) diffs.push(`frame ${n}: tcpdump says '${want}', ours '${mine.summary}'`);
      };
      const req = /Request who-has (\S+)(?: \([0-9a-f:]+\))? tell (\S+?),/.exec(text);
      if (req) expectIn(`who-has ${req[1]} tell ${req[2]}`);
      const rep = /Reply (\S+) is-at ([0-9a-f:]+)/.exec(text);
      if (rep) expectIn(`reply ${rep[1]} is-at ${rep[2]}`);
      const echo = /ICMP echo (request|reply), id (\d+), seq (\d+)/.exec(text);
      if (echo && !text.includes('VXLAN')) expectIn(`echo ${echo[1]}, id ${echo[2]}, seq ${echo[3]}`);
      for (const v of text.matchAll(/vlan (\d+), p/g)) if (!mine.vlans.includes(Number(v[1]))) diffs.push(`frame ${n}: vlan ${v[1]} missing, ours ${mine.vlans}`);
      // tcpdump's [|arp] is a message it could not print whole: for us a truncated or ATMARP layer.
      if (text.includes('[|arp]') && mine.problemLayer !== 'arp') diffs.push(`frame ${n}: tcpdump [|arp], ours problem ${mine.problemLayer}`);
    }
    expect(diffs.slice(0, 10)).toEqual([]);
  });
});
