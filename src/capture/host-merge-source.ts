import type { CaptureInterface, CaptureSource, CaptureStats, FrameBatch } from '../source/frame-batch.js';
import { CaptureFailedError } from './errors.js';
import { type InterfaceEnd, MergedCaptureSource } from './merged-source.js';
import { H_CAPLEN, H_OFFSET, H_ORIGLEN, H_TS_NSEC, H_TS_SEC, HEADER_WORDS } from './native.js';

/** One capture joined to the timeline: this machine's (it may add interfaces) or a remote host's. */
export interface HostPart {
  source: CaptureSource & { readonly interfaces: readonly CaptureInterface[] };
  /** This machine's capture: the one that opens interfaces for a followed container. */
  addInterface?: (name: string) => CaptureInterface;
  /** Why the part ended by itself, once it has (a remote's lost connection); undefined when it stopped as asked. */
  ended?: () => InterfaceEnd | undefined;
  /** This machine's capture: the interfaces that ended by themselves (it reports them itself). */
  endReasons?: () => readonly InterfaceEnd[];
}

export interface HostMergeOptions {
  /**
   * Longest a frame waits for a silent part before it is emitted anyway, in ms. Longer than the
   * local engine's: a remote frame comes after its trip over ssh (tcpdump -U writes each at once).
   */
  mergeWindowMs?: number;
  maxQueuedBytes?: number;
  onInterfaceEnd?: (end: InterfaceEnd) => void;
  /** Keep the stream open with nothing left to capture, until close() (a followed container may come back). */
  holdOpen?: boolean;
}

const DEFAULT_WINDOW_MS = 200;

/**
 * The captures of several hosts on one timeline ordered by timestamp: each part's interfaces are
 * lanes of one TimelineMerge (every remote part's first interface from the start, so a silent
 * host holds the others back by at most the window; later ones as they appear). The window is
 * wall time since a frame came in, not its timestamp's age: each part's timestamps are its own
 * host's clock, and a file's are from the past, which would let every frame through at once. A part that ends
 * (a lost connection, the remote's capture failed) ends its lanes with its reason; the others go
 * on. Frames are copied out of each part's batch, whose life ends at the part's next pull.
 */
export class HostMergeSource extends MergedCaptureSource {
  readonly engine = 'native' as const;
  readonly holdBackMs: number;
  /** lanes[part][part's ifIndex] = lane in this merge. */
  private readonly lanes: number[][] = [];
  private readonly pumps: Promise<void>[] = [];
  private readonly parts: HostPart[] = [];
  /** While reading is paused: what the pumps wait on, and its resolver. */
  private gate: { open: Promise<void>; resolve: () => void } | null = null;
  private readonly ended = new Set<number>();

  constructor(
    parts: HostPart[],
    private readonly opts: HostMergeOptions = {},
  ) {
    super([], {
      mergeWindowMs: opts.mergeWindowMs ?? DEFAULT_WINDOW_MS,
      maxQueuedBytes: opts.maxQueuedBytes ?? 64 * 1024 * 1024,
      onInterfaceEnd: opts.onInterfaceEnd,
      holdOpen: opts.holdOpen,
    });
    this.holdBackMs = opts.mergeWindowMs ?? DEFAULT_WINDOW_MS;
    for (const p of parts) this.addPart(p);
  }

  /** Joins a part to the timeline (at start, or later: a container that joined a followed overlay). */
  addPart(p: HostPart): void {
    if (this.closed) return void p.source.close();
    const k = this.parts.push(p) - 1;
    this.lanes[k] = p.source.interfaces.map((i) => this.addLane(laneOf(i)));
    if (p.source.interfaces.length === 0) this.lanes[k][0] = this.addLane({ linkType: 1, snapLen: 262144, name: p.source.label });
    this.pumps.push(this.pump(p, k));
  }

  /** Opens an interface on this machine's part (a followed container's new veth). */
  addInterface(name: string): CaptureInterface {
    const local = this.parts.find((p) => p.addInterface);
    if (!local?.addInterface) throw new CaptureFailedError(name, 'only this machine\'s interfaces can be added to a running capture');
    return local.addInterface(name);
  }

  /**
   * This machine's interface `name` ended (the local engine said so, and reports it): its lane
   * stops holding the others back.
   */
  interfaceEnded(end: InterfaceEnd): void {
    const lane = this.interfaces.findIndex((i) => i.name === end.interface && i.host === undefined);
    if (lane >= 0 && !this.ended.has(lane)) {
      this.ended.add(lane);
      this.laneEnded(lane, end.reason, end.code, true);
    }
  }

  /** Every interface that ended by itself: this machine's, then each remote part's. */
  override endReasons(): readonly InterfaceEnd[] {
    return [...this.parts.flatMap((p) => p.endReasons?.() ?? []), ...super.endReasons()];
  }

  stats(): CaptureStats[] {
    return this.parts.flatMap((p) => p.source.stats());
  }

  override async close(): Promise<void> {
    // Each part first, so a remote's last frames and counters come in before the lanes end.
    await Promise.all(this.parts.map((p) => p.source.close()));
    await super.close();
    await Promise.all(this.pumps);
  }

  protected stopEngine(): void {
    this.wakePumps();
  }

  protected setReading(on: boolean): void {
    if (on) this.wakePumps();
  }

  private wakePumps(): void {
    const g = this.gate;
    this.gate = null;
    g?.resolve();
  }

  private room(): Promise<void> {
    if (!this.gate) {
      let resolve!: () => void;
      const open = new Promise<void>((r) => (resolve = r));
      this.gate = { open, resolve };
    }
    return this.gate.open;
  }

  private async pump(part: HostPart, k: number): Promise<void> {
    let failure: string | undefined;
    try {
      for await (const b of part.source) {
        this.take(k, b);
        while (this.paused && !this.closed) await this.room();
      }
    } catch (err) {
      failure = (err as Error).message;
    }
    if (this.closed) return;
    const end = part.ended?.() ?? (failure ? { interface: part.source.label, reason: failure, code: 'CAPTURE_FAILED' } : undefined);
    const lanes = this.lanes[k].filter((lane) => lane !== undefined && !this.ended.has(lane));
    lanes.forEach((lane, n) => {
      this.ended.add(lane);
      // One reason per part: a remote host's lost connection is one line, not one per interface.
      this.laneEnded(lane, end?.reason ?? '', end?.code ?? 'STOPPED', !end || n > 0);
    });
  }

  /** Splits one part's batch by interface into per-lane deliveries in the engine's header layout. */
  private take(k: number, b: FrameBatch): void {
    const arrivedMs = Date.now();
    const counts = new Map<number, number>();
    for (let i = 0; i < b.count; i++) counts.set(b.ifIndex[i], (counts.get(b.ifIndex[i]) ?? 0) + 1);
    for (const [ifIndex, n] of counts) {
      const lane = this.laneFor(k, ifIndex, b.interfaces[ifIndex]);
      let bytes = 0;
      for (let i = 0; i < b.count; i++) if (b.ifIndex[i] === ifIndex) bytes += b.capLen[i];
      const arena = new Uint8Array(bytes);
      const headers = new Uint32Array(HEADER_WORDS * n);
      let at = 0;
      let j = 0;
      for (let i = 0; i < b.count; i++) {
        if (b.ifIndex[i] !== ifIndex) continue;
        const start = b.offset[i];
        arena.set(b.data.subarray(start, start + b.capLen[i]), at);
        headers[H_OFFSET * n + j] = at;
        headers[H_CAPLEN * n + j] = b.capLen[i];
        headers[H_ORIGLEN * n + j] = b.origLen[i];
        headers[H_TS_SEC * n + j] = b.tsSec[i];
        headers[H_TS_NSEC * n + j] = b.tsNsec[i];
        at += b.capLen[i];
        j++;
      }
      this.deliver(lane, arena, headers, false, arrivedMs);
    }
  }

  /** The lane of a part's interface, opened when it first has frames; a placeholder lane takes the part's first interface. */
  private laneFor(k: number, ifIndex: number, iface: CaptureInterface | undefined): number {
    const known = this.lanes[k][ifIndex];
    if (known !== undefined) {
      // A remote stream's header came after the lane was opened: its link type and name now.
      if (iface) Object.assign(this.interfaces[known], laneOf(iface));
      return known;
    }
    const lane = this.addLane(laneOf(iface ?? { id: ifIndex, linkType: 1, snapLen: 262144 }));
    this.lanes[k][ifIndex] = lane;
    return lane;
  }
}

function laneOf(i: CaptureInterface): Omit<CaptureInterface, 'id'> {
  const { id: _id, ...rest } = i;
  return rest;
}
