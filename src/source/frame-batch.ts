/**
 * The one shape every capture source produces, live or from a file, so that everything
 * downstream (decode, annotate, analyze, present) is the same for both.
 *
 * A batch is a struct of arrays over one byte arena: frame i is
 * `data.subarray(offset[i], offset[i] + capLen[i])`. No object per frame.
 *
 * Ownership: a batch (its arena and arrays) is valid only until the consumer asks the source
 * for the next batch. Sources reuse or drop it after that; a consumer that keeps a frame copies
 * its bytes (`copyFrame`).
 */
export interface FrameBatch {
  /** Number of frames in this batch; the typed arrays may be longer. */
  count: number;
  data: Uint8Array;
  offset: Uint32Array;
  capLen: Uint32Array;
  origLen: Uint32Array;
  /** Whole seconds since the Unix epoch (may be negative in damaged files). */
  tsSec: Float64Array;
  /** Nanoseconds within the second, 0..999_999_999. */
  tsNsec: Uint32Array;
  /** Index into `interfaces` of the interface each frame was captured on. */
  ifIndex: Uint32Array;
  /** Interfaces known so far; grows as pcapng files declare more. */
  interfaces: readonly CaptureInterface[];
  /**
   * Where each frame was seen, when copies seen on several interfaces were merged into one frame
   * (src/copies); absent on a source that was not merged (one interface, or all copies kept).
   */
  hops?: FrameHops;
  /**
   * Set by the native engine on a batch that is its arena as delivered: each frame sits inside a
   * pcapng Enhanced Packet Block of interface 0 (capture/native.ts NATIVE_EPB), so a pcapng writer
   * can send the blocks to its file as they are. Absent on every other batch.
   */
  epbArena?: boolean;
}

/**
 * Side arrays of a merged batch: frame i was seen on `count[i]` interfaces, listed at
 * [start[i], start[i] + count[i]) of the hop columns in the order seen; the first hop is the frame's
 * own interface and time. Valid for the batch's lifetime, like the batch.
 */
export interface FrameHops {
  count: Uint16Array;
  start: Uint32Array;
  ifIndex: Uint32Array;
  tsSec: Float64Array;
  tsNsec: Uint32Array;
}

/** One interface a merged frame was seen on, for consumers that keep frames (OwnedFrame). */
export interface Hop {
  ifIndex: number;
  tsSec: number;
  tsNsec: number;
}

export interface CaptureInterface {
  /** Position in the source's interface list (pcapng interface id across sections). */
  id: number;
  /** LINKTYPE_* value (1 Ethernet, 113 Linux SLL, 276 Linux SLL2, ...). */
  linkType: number;
  snapLen: number;
  name?: string;
  description?: string;
  /** Host ifindex of a live interface, when known; lets the annotator name a veth's frames. */
  hostIfIndex?: number;
  /** The host it was captured on, for an interface captured on another machine (`host:target`). */
  host?: string;
}

/**
 * The host an interface was captured on: its `host`, else what its name says (a remote capture's
 * interfaces are named `host:target`, which a file written from it keeps); '' for this machine.
 */
export function interfaceHost(i: CaptureInterface | undefined): string {
  if (!i) return '';
  if (i.host !== undefined) return i.host;
  const colon = i.name?.indexOf(':') ?? -1;
  return colon > 0 ? i.name!.slice(0, colon) : '';
}

/** Drop and receive counters as libpcap reports them (pcap_stats), per interface. */
export interface CaptureStats {
  interface: string;
  received: number;
  droppedByKernel: number;
  droppedByInterface: number;
}

/** A source of frame batches: a file reader or a live capture. */
export interface CaptureSource extends AsyncIterable<FrameBatch> {
  /** Where the frames come from, for headers and error messages (a path, `-`, or interface names). */
  readonly label: string;
  /** Ends the source; pending iteration finishes after the frames already delivered. */
  close(): Promise<void>;
  /** Live sources report counters; file sources return an empty list. */
  stats(): CaptureStats[];
  /**
   * Longest the source may keep a frame back while frames are still coming (a merge of hosts
   * waiting for a silent one), in wall-clock ms; absent: it delivers frames as it reads them.
   */
  readonly holdBackMs?: number;
}

export function frameBytes(b: FrameBatch, i: number): Uint8Array {
  const start = b.offset[i];
  return b.data.subarray(start, start + b.capLen[i]);
}

/** A self-contained copy of one frame, for consumers that keep frames past the batch's life. */
export interface OwnedFrame {
  tsSec: number;
  tsNsec: number;
  capLen: number;
  origLen: number;
  ifIndex: number;
  linkType: number;
  bytes: Uint8Array;
  /** Every interface the frame was seen on, when its batch was merged (FrameBatch.hops). */
  hops?: Hop[];
}

export function copyFrame(b: FrameBatch, i: number): OwnedFrame {
  const owned: OwnedFrame = {
    tsSec: b.tsSec[i],
    tsNsec: b.tsNsec[i],
    capLen: b.capLen[i],
    origLen: b.origLen[i],
    ifIndex: b.ifIndex[i],
    linkType: b.interfaces[b.ifIndex[i]]?.linkType ?? 1,
    // A copy, never a view: on a Node Buffer arena `.slice()` would return a view.
    bytes: new Uint8Array(frameBytes(b, i)),
  };
  if (b.hops) owned.hops = hopsOf(b.hops, i);
  return owned;
}

function hopsOf(h: FrameHops, i: number): Hop[] {
  const out: Hop[] = [];
  for (let k = h.start[i], end = k + h.count[i]; k < end; k++) out.push({ ifIndex: h.ifIndex[k], tsSec: h.tsSec[k], tsNsec: h.tsNsec[k] });
  return out;
}
