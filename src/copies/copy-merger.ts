import { type CaptureInterface, type FrameBatch, type FrameHops, interfaceHost } from '../source/frame-batch.js';
import type { CopyLayout } from './copy-layout.js';
import { CopyTable } from './copy-table.js';

/** Bytes of a frame (or of its IPv4 packet) that go into its hash; candidates are then compared whole. */
const HASH_BYTES = 64;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const NO_TTL = 256;
const ETHERNET = 1;

/**
 * The copy merge on FrameBatch columns (no object per frame). How a copy is told apart from a
 * frame sent twice:
 *
 * - a copy is seen on a DIFFERENT interface of the same capture than the frame and its copies so
 *   far (a frame seen twice on one interface was sent twice), within `windowNs` of the frame's
 *   first sighting, with the same captured and original length;
 * - bridged (veth, bridge, veth): the bytes are identical;
 * - routed (one bridge to another through the host): the frame is one IPv4 packet, identical but
 *   for the TTL and header checksum, and the TTL is lower than the frame's and not above any
 *   copy's so far (MACs may differ: the router rewrites them);
 * - tunnelled (an overlay frame on a container's veth and inside VXLAN on the underlay): the
 *   frame a VXLAN datagram carries is identical to the other sighting (or to the frame the other
 *   VXLAN datagram carries); lengths are compared on those inner frames;
 * - across hosts (interfaces of different CaptureInterface hosts, i.e. captured on different
 *   machines, whose clocks differ): the window is `hostWindowNs` instead of `windowNs`, since the
 *   sightings carry two clocks' times.
 *
 * Each frame is hashed (FNV-1a over its first HASH_BYTES; for IPv4 over the IP packet with TTL
 * and checksum left out, so routed copies hash alike; a VXLAN datagram as the frame it carries,
 * so tunnelled copies hash alike) into a small open-addressing table of the
 * frames still inside their window. A candidate of equal hash is compared byte by byte, and the
 * oldest one that qualifies takes the copy as a hop: frames sent twice in quick succession get
 * their own copies.
 *
 * A frame is held (its bytes copied into this merger's arena) until its window (the wider one once
 * the interfaces span several hosts) has passed on the
 * frames' own clock, or `flush()`; then it is emitted in the order first seen, with its hops in
 * side arrays (FrameBatch.hops). The emitted batch is this merger's own columns, valid until the
 * next `push()` or `flush()`, which is the FrameBatch lifetime contract.
 */
export class CopyMerger {
  /** Copies merged into an earlier frame (not emitted as frames of their own). */
  merged = 0;
  private readonly table = new CopyTable();
  private cap = 0;
  private offset = new Uint32Array(0);
  private capLen = new Uint32Array(0);
  private origLen = new Uint32Array(0);
  private tsSec = new Float64Array(0);
  private tsNsec = new Uint32Array(0);
  private ifIndex = new Uint32Array(0);
  private hash = new Uint32Array(0);
  /** Offset of the IPv4 header in the frame, or -1. */
  private ipAt = new Int32Array(0);
  /** Offset of the Ethernet frame a VXLAN datagram carries, or 0 for a frame that is no tunnel. */
  private inner = new Int32Array(0);
  /** TTL of the frame and the lowest TTL of its copies (NO_TTL when not IPv4). */
  private ttl = new Uint16Array(0);
  private minTtl = new Uint16Array(0);
  /** Nanoseconds since `baseSec` of the first sighting. */
  private t = new Float64Array(0);
  private hopCount = new Uint16Array(0);
  /** First and last extra hop (beyond the frame's own) in the hop pool, or -1. */
  private hopHead = new Int32Array(0);
  private hopTail = new Int32Array(0);
  private pending = 0;
  /** Frames at the front of the columns emitted by the last take; dropped by the next push. */
  private emitted = 0;
  private arena = new Uint8Array(1 << 20);
  private used = 0;
  private readonly pool = new HopPool();
  private readonly out: FrameBatch;
  private readonly outHops: FrameHops;
  private baseSec = Number.NaN;
  private now = -Infinity;
  private interfaces: readonly CaptureInterface[] = [];
  /** Host of each interface (interfaceHost), kept as long as `interfaces`. */
  private hosts: string[] = [];
  /** How long a frame is held: windowNs, or the wider of both once several hosts are captured. */
  private holdNs: number;

  constructor(
    private readonly layout: CopyLayout,
    private readonly windowNs: number,
    private readonly hostWindowNs = windowNs,
  ) {
    this.holdNs = windowNs;
    this.outHops = { count: new Uint16Array(0), start: new Uint32Array(0), ifIndex: new Uint32Array(0), tsSec: new Float64Array(0), tsNsec: new Uint32Array(0) };
    this.out = { count: 0, data: this.arena, offset: this.offset, capLen: this.capLen, origLen: this.origLen, tsSec: this.tsSec, tsNsec: this.tsNsec, ifIndex: this.ifIndex, interfaces: this.interfaces, hops: this.outHops };
  }

  /** Frames held, waiting for their window to pass. */
  get held(): number {
    return this.pending - this.emitted;
  }

  /**
   * Takes in a batch (it may be reused as soon as this returns) and returns the frames whose
   * window has passed, or null when every frame is still held.
   */
  push(b: FrameBatch): FrameBatch | null {
    this.interfaces = b.interfaces;
    if (this.hosts.length !== b.interfaces.length) this.learnHosts();
    this.dropEmitted(b.count);
    let bytes = 0;
    for (let i = 0; i < b.count; i++) bytes += b.capLen[i];
    this.reserve(this.pending + b.count, this.used + bytes);
    if (Number.isNaN(this.baseSec) && b.count > 0) this.baseSec = b.tsSec[0];
    for (let i = 0; i < b.count; i++) this.take(b, i);
    let cut = 0;
    while (cut < this.pending && this.t[cut] + this.holdNs < this.now) cut++;
    return cut > 0 ? this.emit(cut) : null;
  }

  private learnHosts(): void {
    this.hosts = this.interfaces.map(interfaceHost);
    const several = this.hosts.some((h) => h !== this.hosts[0]);
    this.holdNs = several ? Math.max(this.windowNs, this.hostWindowNs) : this.windowNs;
  }

  /** Emits every held frame (end of input, or the source went quiet), or returns null when none is. */
  flush(): FrameBatch | null {
    this.dropEmitted(0);
    return this.pending > 0 ? this.emit(this.pending) : null;
  }

  private take(b: FrameBatch, i: number): void {
    const data = b.data;
    const start = b.offset[i];
    const len = b.capLen[i];
    const t = (b.tsSec[i] - this.baseSec) * 1e9 + b.tsNsec[i];
    if (t > this.now) this.now = t;
    const linkType = b.interfaces[b.ifIndex[i]]?.linkType ?? 1;
    const ipAt = this.layout.ipv4Start(data, start, len, linkType);
    const inner = Math.max(0, this.layout.vxlanInnerStart(data, start, len, linkType));
    const h = inner > 0 ? this.frameHash(data, start + inner, len - inner, b.origLen[i] - inner, ETHERNET) : this.frameHash(data, start, len, b.origLen[i], linkType);
    const ttl = ipAt >= 0 ? data[start + ipAt + this.layout.ttlOffset] : NO_TTL;
    for (let s = this.table.find(h, -1); s >= 0; s = this.table.find(h, s)) {
      const p = this.table.value(s);
      if (this.isCopyOf(p, b, i, ipAt, inner, ttl, t, linkType)) {
        this.addHop(p, b.ifIndex[i], b.tsSec[i], b.tsNsec[i], ttl);
        this.merged++;
        if (inner > 0 && this.inner[p] === 0 && linkType === (this.interfaces[this.ifIndex[p]]?.linkType ?? ETHERNET)) this.takeTunnelled(p, b, i, ipAt, inner, ttl);
        return;
      }
    }
    const p = this.pending++;
    const at = this.used;
    const arena = this.arena;
    if (len <= 256) for (let k = 0; k < len; k++) arena[at + k] = data[start + k];
    else arena.set(data.subarray(start, start + len), at);
    this.used += len;
    this.offset[p] = at;
    this.capLen[p] = len;
    this.origLen[p] = b.origLen[i];
    this.tsSec[p] = b.tsSec[i];
    this.tsNsec[p] = b.tsNsec[i];
    this.ifIndex[p] = b.ifIndex[i];
    this.hash[p] = h;
    this.ipAt[p] = ipAt;
    this.inner[p] = inner;
    this.ttl[p] = ttl;
    this.minTtl[p] = ttl;
    this.t[p] = t;
    this.hopCount[p] = 1;
    this.hopHead[p] = -1;
    this.hopTail[p] = -1;
    this.table.insert(h, p);
  }

  /**
   * A frame first seen plain (in a container's namespace) and then inside VXLAN keeps its first
   * sighting's time and interface but takes the tunnelled copy's bytes: the same frame, plus the
   * overlay's VNI and underlay hosts, which name it and which its line shows. The bytes go to the
   * arena's end, into the room `push` reserved for this copy.
   */
  private takeTunnelled(p: number, b: FrameBatch, i: number, ipAt: number, inner: number, ttl: number): void {
    const len = b.capLen[i];
    this.arena.set(b.data.subarray(b.offset[i], b.offset[i] + len), this.used);
    this.offset[p] = this.used;
    this.used += len;
    this.capLen[p] = len;
    this.origLen[p] = b.origLen[i];
    this.ipAt[p] = ipAt;
    this.inner[p] = inner;
    this.ttl[p] = ttl;
    this.minTtl[p] = ttl;
  }

  private isCopyOf(p: number, b: FrameBatch, i: number, ipAt: number, inner: number, ttl: number, t: number, linkType: number): boolean {
    const len = b.capLen[i];
    const window = this.hosts[this.ifIndex[p]] === this.hosts[b.ifIndex[i]] ? this.windowNs : this.hostWindowNs;
    if (Math.abs(t - this.t[p]) > window) return false;
    const pInner = this.inner[p];
    if (this.capLen[p] - pInner !== len - inner || this.origLen[p] - pInner !== b.origLen[i] - inner) return false;
    if (this.seenOn(p, b.ifIndex[i])) return false;
    const data = b.data;
    const start = b.offset[i];
    const own = this.offset[p];
    if (inner !== pInner) {
      // Tunnelled: one sighting (or each) inside VXLAN; the frames carried must be the same bytes.
      const plainLink = inner === 0 ? linkType : (this.interfaces[this.ifIndex[p]]?.linkType ?? ETHERNET);
      if ((inner === 0 || pInner === 0) && plainLink !== ETHERNET) return false;
      for (let k = 0; k < len - inner; k++) if (this.arena[own + pInner + k] !== data[start + inner + k]) return false;
      return true;
    }
    if (ipAt >= 0 && ipAt === this.ipAt[p] && ttl < this.ttl[p]) {
      // Routed: everything from the IP header on, but the TTL and checksum a router rewrites.
      if (ttl > this.minTtl[p]) return false;
      const skipTtl = ipAt + this.layout.ttlOffset;
      const skipSum = ipAt + this.layout.checksumOffset;
      for (let k = ipAt; k < len; k++) {
        if (k === skipTtl || k === skipSum || k === skipSum + 1) continue;
        if (this.arena[own + k] !== data[start + k]) return false;
      }
      return true;
    }
    if ((this.interfaces[this.ifIndex[p]]?.linkType ?? 1) !== linkType) return false;
    for (let k = 0; k < len; k++) if (this.arena[own + k] !== data[start + k]) return false;
    return true;
  }

  private seenOn(p: number, ifIndex: number): boolean {
    if (this.ifIndex[p] === ifIndex) return true;
    for (let h = this.hopHead[p]; h >= 0; h = this.pool.next[h]) if (this.pool.ifIndex[h] === ifIndex) return true;
    return false;
  }

  private addHop(p: number, ifIndex: number, tsSec: number, tsNsec: number, ttl: number): void {
    const h = this.pool.alloc(ifIndex, tsSec, tsNsec);
    if (this.hopTail[p] < 0) this.hopHead[p] = h;
    else this.pool.next[this.hopTail[p]] = h;
    this.hopTail[p] = h;
    this.hopCount[p]++;
    if (ttl < this.minTtl[p]) this.minTtl[p] = ttl;
  }

  /** The first `cut` held frames as a batch, their hops laid out in the side arrays. */
  private emit(cut: number): FrameBatch {
    let hops = 0;
    for (let p = 0; p < cut; p++) hops += this.hopCount[p];
    const oh = this.outHops;
    if (oh.count.length < cut) {
      oh.count = new Uint16Array(this.cap);
      oh.start = new Uint32Array(this.cap);
    }
    if (oh.ifIndex.length < hops) {
      const size = Math.max(hops, oh.ifIndex.length * 2);
      oh.ifIndex = new Uint32Array(size);
      oh.tsSec = new Float64Array(size);
      oh.tsNsec = new Uint32Array(size);
    }
    let w = 0;
    for (let p = 0; p < cut; p++) {
      oh.count[p] = this.hopCount[p];
      oh.start[p] = w;
      oh.ifIndex[w] = this.ifIndex[p];
      oh.tsSec[w] = this.tsSec[p];
      oh.tsNsec[w++] = this.tsNsec[p];
      for (let h = this.hopHead[p]; h >= 0; ) {
        oh.ifIndex[w] = this.pool.ifIndex[h];
        oh.tsSec[w] = this.pool.tsSec[h];
        oh.tsNsec[w++] = this.pool.tsNsec[h];
        const next = this.pool.next[h];
        this.pool.free(h);
        h = next;
      }
    }
    this.emitted = cut;
    const o = this.out;
    o.count = cut;
    o.data = this.arena;
    o.offset = this.offset;
    o.capLen = this.capLen;
    o.origLen = this.origLen;
    o.tsSec = this.tsSec;
    o.tsNsec = this.tsNsec;
    o.ifIndex = this.ifIndex;
    o.interfaces = this.interfaces;
    return o;
  }

  /**
   * Drops the frames the last emit handed out (their batch's life has ended) by moving the held
   * ones to the front, bytes and columns, and re-indexes them in a fresh table sized for them
   * plus `incoming` more.
   */
  private dropEmitted(incoming: number): void {
    const cut = this.emitted;
    this.emitted = 0;
    const keep = this.pending - cut;
    if (cut > 0) {
      // A held frame's bytes may lie past later frames' (takeTunnelled): keep from the lowest offset.
      let shift = this.used;
      for (let p = cut; p < this.pending; p++) if (this.offset[p] < shift) shift = this.offset[p];
      if (keep > 0) this.arena.copyWithin(0, shift, this.used);
      this.used -= shift;
      for (const col of [this.offset, this.capLen, this.origLen, this.tsSec, this.tsNsec, this.ifIndex, this.hash, this.ipAt, this.inner, this.ttl, this.minTtl, this.t, this.hopCount, this.hopHead, this.hopTail]) {
        col.copyWithin(0, cut, this.pending);
      }
      for (let p = 0; p < keep; p++) this.offset[p] -= shift;
      this.pending = keep;
    }
    this.table.reset(keep + incoming);
    for (let p = 0; p < keep; p++) this.table.insert(this.hash[p], p);
  }

  private reserve(frames: number, bytes: number): void {
    if (bytes > this.arena.length) {
      const grown = new Uint8Array(Math.max(bytes, this.arena.length * 2));
      grown.set(this.arena.subarray(0, this.used));
      this.arena = grown;
    }
    if (frames <= this.cap) return;
    const cap = Math.max(frames, this.cap * 2, 1024);
    this.offset = grow(this.offset, new Uint32Array(cap));
    this.capLen = grow(this.capLen, new Uint32Array(cap));
    this.origLen = grow(this.origLen, new Uint32Array(cap));
    this.tsSec = grow(this.tsSec, new Float64Array(cap));
    this.tsNsec = grow(this.tsNsec, new Uint32Array(cap));
    this.ifIndex = grow(this.ifIndex, new Uint32Array(cap));
    this.hash = grow(this.hash, new Uint32Array(cap));
    this.ipAt = grow(this.ipAt, new Int32Array(cap));
    this.inner = grow(this.inner, new Int32Array(cap));
    this.ttl = grow(this.ttl, new Uint16Array(cap));
    this.minTtl = grow(this.minTtl, new Uint16Array(cap));
    this.t = grow(this.t, new Float64Array(cap));
    this.hopCount = grow(this.hopCount, new Uint16Array(cap));
    this.hopHead = grow(this.hopHead, new Int32Array(cap));
    this.hopTail = grow(this.hopTail, new Int32Array(cap));
    this.cap = cap;
  }

  /** The hash a frame is filed under: its IPv4 packet's (ipHash) when it is one, else its first bytes'. */
  private frameHash(data: Uint8Array, start: number, len: number, origLen: number, linkType: number): number {
    const ip = this.layout.ipv4Start(data, start, len, linkType);
    if (ip >= 0) return this.ipHash(data, start + ip, start + len, origLen);
    return hashBytes(data, start, Math.min(start + len, start + HASH_BYTES), FNV_OFFSET ^ origLen);
  }

  /** FNV-1a over the IP packet's first HASH_BYTES, TTL and checksum left out. */
  private ipHash(data: Uint8Array, ip: number, end: number, origLen: number): number {
    const ttlAt = ip + this.layout.ttlOffset;
    const sumAt = ip + this.layout.checksumOffset;
    const stop = Math.min(end, ip + HASH_BYTES);
    let h = hashBytes(data, ip, Math.min(ttlAt, stop), FNV_OFFSET ^ origLen);
    h = hashBytes(data, Math.min(ttlAt + 1, stop), Math.min(sumAt, stop), h);
    return hashBytes(data, Math.min(sumAt + 2, stop), stop, h);
  }
}

function hashBytes(data: Uint8Array, from: number, to: number, h: number): number {
  for (let k = from; k < to; k++) h = Math.imul(h ^ data[k], FNV_PRIME);
  return h >>> 0;
}

type Column = Uint32Array | Uint16Array | Int32Array | Float64Array;

function grow<T extends Column>(old: T, grown: T): T {
  grown.set(old as never);
  return grown;
}

/** Extra hops of held frames as linked lists in pooled columns, recycled through a free list. */
class HopPool {
  next = new Int32Array(256);
  ifIndex = new Uint32Array(256);
  tsSec = new Float64Array(256);
  tsNsec = new Uint32Array(256);
  private freeHead = -1;
  private used = 0;

  alloc(ifIndex: number, tsSec: number, tsNsec: number): number {
    let h = this.freeHead;
    if (h >= 0) this.freeHead = this.next[h];
    else {
      if (this.used === this.next.length) this.grow();
      h = this.used++;
    }
    this.next[h] = -1;
    this.ifIndex[h] = ifIndex;
    this.tsSec[h] = tsSec;
    this.tsNsec[h] = tsNsec;
    return h;
  }

  free(h: number): void {
    this.next[h] = this.freeHead;
    this.freeHead = h;
  }

  private grow(): void {
    const n = this.next.length * 2;
    this.next = grow(this.next, new Int32Array(n));
    this.ifIndex = grow(this.ifIndex, new Uint32Array(n));
    this.tsSec = grow(this.tsSec, new Float64Array(n));
    this.tsNsec = grow(this.tsNsec, new Uint32Array(n));
  }
}
