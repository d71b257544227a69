import type { NameRecord } from '../../src/pcap/capture-meta.js';
import { ipBytes } from '../../src/pcap/ip-bytes.js';

/**
 * Builds capture files byte by byte in either byte order, so reader tests say exactly what is in
 * the file they read (and can damage it at a known offset).
 */
export class ByteBuilder {
  private readonly out: number[] = [];

  constructor(readonly le = true) {}

  get length(): number {
    return this.out.length;
  }

  u8(v: number): this {
    this.out.push(v & 0xff);
    return this;
  }

  u16(v: number): this {
    const b = [v & 0xff, (v >>> 8) & 0xff];
    this.out.push(...(this.le ? b : b.reverse()));
    return this;
  }

  u32(v: number): this {
    const b = [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
    this.out.push(...(this.le ? b : b.reverse()));
    return this;
  }

  u64(v: bigint): this {
    const hi = Number((v >> 32n) & 0xffffffffn);
    const lo = Number(v & 0xffffffffn);
    return this.le ? this.u32(lo).u32(hi) : this.u32(hi).u32(lo);
  }

  bytes(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.out.push(b[i]);
    return this;
  }

  pad4(): this {
    while (this.out.length % 4) this.out.push(0);
    return this;
  }

  build(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `n` bytes counting up from `seed`, so frames are distinguishable. */
export function payload(n: number, seed = 0): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (seed + i) & 0xff);
}

export interface PcapRecord {
  sec: number;
  frac: number;
  data: Uint8Array;
  origLen?: number;
  /** Lie about the captured length (damage tests). */
  capLen?: number;
}

export interface PcapSpec {
  le?: boolean;
  nano?: boolean;
  version?: [number, number];
  snapLen?: number;
  linkType?: number;
  magic?: number;
}

export function pcapHeader(spec: PcapSpec = {}): Uint8Array {
  const b = new ByteBuilder(spec.le ?? true);
  const [major, minor] = spec.version ?? [2, 4];
  return b
    .u32(spec.magic ?? (spec.nano ? 0xa1b23c4d : 0xa1b2c3d4))
    .u16(major)
    .u16(minor)
    .u32(0)
    .u32(0)
    .u32(spec.snapLen ?? 65535)
    .u32(spec.linkType ?? 1)
    .build();
}

export function pcapRecord(r: PcapRecord, le = true): Uint8Array {
  return new ByteBuilder(le)
    .u32(r.sec)
    .u32(r.frac)
    .u32(r.capLen ?? r.data.length)
    .u32(r.origLen ?? r.data.length)
    .bytes(r.data)
    .build();
}

export function pcapFile(spec: PcapSpec, records: PcapRecord[]): Uint8Array {
  return concat(pcapHeader(spec), ...records.map((r) => pcapRecord(r, spec.le ?? true)));
}

export type Option = [code: number, value: Uint8Array | string];

function optionBytes(b: ByteBuilder, options: Option[]): void {
  if (options.length === 0) return;
  for (const [code, value] of options) {
    const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
    b.u16(code).u16(bytes.length).bytes(bytes).pad4();
  }
  b.u32(0);
}

/** A pcapng block: type, length, `body` (padded), options, length again. */
export function block(type: number, le: boolean, body: (b: ByteBuilder) => void, options: Option[] = []): Uint8Array {
  const inner = new ByteBuilder(le);
  body(inner);
  inner.pad4();
  optionBytes(inner, options);
  const length = inner.length + 12;
  return new ByteBuilder(le).u32(type).u32(length).bytes(inner.build()).u32(length).build();
}

export function shb(le: boolean, options: Option[] = [], version: [number, number] = [1, 0]): Uint8Array {
  return block(0x0a0d0d0a, le, (b) => b.u32(0x1a2b3c4d).u16(version[0]).u16(version[1]).u64(0xffffffffffffffffn), options);
}

export function idb(le: boolean, linkType: number, snapLen: number, options: Option[] = []): Uint8Array {
  return block(1, le, (b) => b.u16(linkType).u16(0).u32(snapLen), options);
}

export function epb(le: boolean, ifId: number, ticks: bigint, data: Uint8Array, origLen = data.length, options: Option[] = []): Uint8Array {
  return block(6, le, (b) =>
    b.u32(ifId).u32(Number(ticks >> 32n)).u32(Number(ticks & 0xffffffffn)).u32(data.length).u32(origLen).bytes(data),
  options);
}

export function spb(le: boolean, origLen: number, data: Uint8Array): Uint8Array {
  return block(3, le, (b) => b.u32(origLen).bytes(data));
}

/** A name record as the reader gives it back (`meta.nameRecords`); the address may also be its 4 or 16 bytes. */
export type NrbRecord = Omit<NameRecord, 'ip'> & { ip: string | Uint8Array };

/**
 * A Name Resolution Block: each record an IPv4 (type 1) or IPv6 (type 2) address with its names,
 * NUL-terminated, then the end record.
 */
export function nrb(le: boolean, records: readonly NrbRecord[], options: Option[] = []): Uint8Array {
  // Written into one array, not a byte at a time through ByteBuilder (as block() does): the
  // fuzzer's NRBs hold 300,000 records, sharing one names array.
  const utf8 = new TextEncoder();
  const encodedNames = new Map<readonly string[], Uint8Array>();
  const names = records.map((r) => {
    let bytes = encodedNames.get(r.names);
    if (!bytes) encodedNames.set(r.names, (bytes = utf8.encode(r.names.map((n) => `${n}\0`).join(''))));
    return bytes;
  });
  const addrs = records.map((r) => (typeof r.ip === 'string' ? ipBytes(r.ip) : r.ip));
  const body = new Uint8Array(addrs.reduce((n, a, i) => n + 4 + ((a.length + names[i].length + 3) & ~3), 0) + 4);
  const v = new DataView(body.buffer);
  let at = 0;
  addrs.forEach((addr, i) => {
    v.setUint16(at, addr.length === 4 ? 1 : 2, le);
    v.setUint16(at + 2, addr.length + names[i].length, le);
    body.set(addr, at + 4);
    body.set(names[i], at + 4 + addr.length);
    at += 4 + ((addr.length + names[i].length + 3) & ~3);
  });
  const opts = new ByteBuilder(le);
  optionBytes(opts, options);
  const length = 12 + body.length + opts.length;
  return concat(new ByteBuilder(le).u32(4).u32(length).build(), body, opts.build(), new ByteBuilder(le).u32(length).build());
}

export function u64Option(code: number, v: bigint, le: boolean): Option {
  return [code, new ByteBuilder(le).u64(v).build()];
}
