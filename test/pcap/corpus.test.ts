import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openCaptureFile } from '../../src/pcap/open.js';
import { readAll } from './read-all.js';
import { corpusDir, corpusPresent, describeCorpus } from '../support/corpus.js';

/**
 * Reader-level conformance with tshark 4.0.17 on the public corpus (../shared/corpus next to the
 * repository, or $BRIDGESCOPE_CORPUS): every frame tshark lists, we deliver with the same
 * timestamp (to the nanosecond), frame length and captured length; the files tshark reports
 * damaged, we reject with a CaptureFileError after the same frames.
 */
const corpus = corpusDir;

interface TsharkFrame {
  number: number;
  time: string;
  len: number;
  capLen: number;
}

/** Where we knowingly differ from tshark, file by file, and what we deliver instead. */
interface Exception {
  why: string;
  /** Our timestamps for frames (1-based) where tshark prints something else. */
  times?: Record<number, string>;
  /** How many frames we deliver before the error (tshark delivers more). */
  frames?: number;
  /** The error we end with and the offset it names. */
  error?: { code: string; offset: number };
  /** tshark rows (1-based) that are pcapng custom blocks, which we put in meta.customBlocks. */
  customBlockRows?: number[];
}

const EXCEPTIONS: Record<string, Exception> = {
  'gopacket__le__test202.pcapng': {
    why:
      'tshark 4.0 numbers its three custom blocks (one 0x00000BAD, two 0x40000BAD) as frames of ' +
      'protocol PCAPNG, with frame.len = the bytes after the PEN; custom blocks are not frames, so ' +
      'we report them in meta.customBlocks and check their lengths against those rows instead.',
    customBlockRows: [1, 7, 10],
  },
  'sv__bug-6875-01__fuzz.pcap': {
    why:
      'record 2 (offset 228) claims a 0x53fe6000-byte frame. Wireshark then guesses the 1999 SuSE ' +
      '"ss990417" pcap variant (24-byte record headers) and reads two odd frames before failing; ' +
      'we read the standard layout, as libpcap does (tcpdump -r prints frame 1, then "invalid ' +
      'packet capture length 1409179648"). Frame 1 agrees in time, length and captured length.',
    frames: 1,
    error: { code: 'BS_PCAP_FRAME_TOO_LARGE', offset: 228 },
  },
  'tcpdump__timestamp_invalid_nano.pcap': {
    why:
      'sub-second fields of 1e9 and 0x80000000 ns: tshark prints the raw fields (".1000000000" and a ' +
      'negative "-...2147483648", having read the field as a signed int). The pcap field is unsigned; ' +
      'we carry whole seconds into ts_sec so tsNsec stays in 0..999999999 (frame 2 is the same instant).',
    times: { 2: '1418145371.000000000', 3: '1418145372.147483648' },
  },
};

/** Damaged files where we stop as tshark does, with the error we give. */
const DAMAGE: Record<string, { code: string; offset: number }> = {
  // tshark: "pcapng: unknown SHB version 2.0" after 1 packet; the second SHB is at byte 480, its version at 492.
  'gopacket__le__test901.pcapng': { code: 'BS_PCAPNG_BAD_VERSION', offset: 492 },
};

function readReference(file: string): { exit: number; frames: TsharkFrame[] } {
  const index = readFileSync(join(corpus, 'reference', 'INDEX.tsv'), 'utf8').split('\n');
  const row = index.find((l) => l.startsWith(`${file}\t`));
  if (!row) throw new Error(`${file} is missing from reference/INDEX.tsv`);
  const exit = Number(row.split('\t')[1]);
  const lines = readFileSync(join(corpus, 'reference', `${file}.tsv`), 'utf8').split('\n').filter((l) => l !== '');
  const frames = lines.slice(1).map((l) => {
    const [number, time, len, capLen] = l.split('\t');
    return { number: Number(number), time, len: Number(len), capLen: Number(capLen) };
  });
  return { exit, frames };
}

/** Our time as tshark's frame.time_epoch prints it: seconds, a dot, nine digits. */
function epochText(tsNs: bigint): string {
  const sign = tsNs < 0n ? '-' : '';
  const abs = tsNs < 0n ? -tsNs : tsNs;
  return `${sign}${abs / 1_000_000_000n}.${(abs % 1_000_000_000n).toString().padStart(9, '0')}`;
}

const captures = corpusPresent
  ? readdirSync(corpus).filter((f) => /\.(pcap|pcapng|cap)$/.test(f)).sort()
  : [];

describeCorpus('corpus conformance with tshark', () => {
  it('finds the whole corpus', () => {
    expect(captures.length).toBeGreaterThanOrEqual(59);
  });

  it.each(captures)('%s', async (file) => {
    const ref = readReference(file);
    const ex = EXCEPTIONS[file];
    const source = openCaptureFile(join(corpus, file), { chunkBytes: 4096, batchFrames: 7 });
    const { frames, error } = await readAll(source);
    const customRows = ex?.customBlockRows ?? [];
    const packets = ref.frames.filter((f) => !customRows.includes(f.number));
    expect(source.meta.customBlocks.map((c) => c.data.length)).toEqual(
      ref.frames.filter((f) => customRows.includes(f.number)).map((f) => f.len),
    );
    const expectedCount = ex?.frames ?? packets.length;
    expect(frames.length).toBe(expectedCount);
    for (let i = 0; i < expectedCount; i++) {
      const want = packets[i];
      const got = frames[i];
      expect({ n: want.number, time: epochText(got.tsNs), len: got.len, capLen: got.capLen }).toEqual({
        n: want.number,
        // A Simple Packet Block has no timestamp: tshark prints none, we report the epoch.
        time: ex?.times?.[want.number] ?? (want.time === '' ? '0.000000000' : want.time),
        len: want.len,
        capLen: want.capLen,
      });
    }
    if (ref.exit === 0) {
      expect(error).toBeNull();
      const capinfos = readFileSync(join(corpus, 'reference', `${file}.capinfos`), 'utf8');
      expect(source.interfaces.length).toBe(Number(/Number of interfaces in file: (\d+)/.exec(capinfos)?.[1]));
    } else {
      expect(error, 'tshark reports this file damaged; we must too').not.toBeNull();
      const expected = ex?.error ?? DAMAGE[file];
      expect(expected, 'every damaged corpus file has its expected error listed').toBeDefined();
      expect(error!.code).toBe(expected.code);
      expect(error!.offset).toBe(expected.offset);
      expect(error!.message).toContain(`at byte offset ${expected.offset}`);
      expect(error!.message).toContain(file);
    }
  });

  it('lists no exception for a file that is not in the corpus', () => {
    for (const file of Object.keys(EXCEPTIONS)) expect(captures).toContain(file);
  });
});
