import { NdOpt, formatMacNumber, type DecodedFrame } from '../decode/index.js';
import type { AnalysisContext } from './context.js';
import { ROLE_REPEAT, ROLE_REPLY } from './frame-annotations.js';
import { formatMs } from '../duration.js';
import { KindAnalysis } from './kind-analysis.js';
import { ANSWERED, ERROR, OPEN, UNANSWERED } from './transaction-store.js';

export interface NdpOptions {
  /** No advertisement within this many ms (frame clock) makes a solicitation unanswered. Default 1000. */
  ndpTimeoutMs?: number;
}

const NS = 135;
const NA = 136;

/**
 * Neighbor Discovery as ARP is analysed: a solicitation opens a transaction keyed (asker, target);
 * the solicited advertisement for that target to the asker closes it, with its RTT. Repeats while
 * open are retries. A solicitation from `::` is a DAD probe (RFC 4862 §5.4): it opens nothing,
 * and an advertisement for its target means the address is taken. An advertisement for an
 * address another MAC already advertised is a duplicate address; one nobody asked for (S flag
 * clear) is unsolicited. Addresses are the context's IPv6 keys (`ip6Id`).
 */
export class NdpAnalysis extends KindAnalysis {
  /** First MAC that advertised each address (by ip6Id); conflicts reported once per (address, MAC). */
  private readonly owners = new Map<number, number>();
  private readonly conflicts = new Set<string>();
  /** Addresses under DAD (ip6Id -> probe frame), until an advertisement or the timeout. */
  private readonly probes = new Map<number, number>();

  constructor(ctx: AnalysisContext, opts: NdpOptions) {
    super(ctx, 'ndp', opts.ndpTimeoutMs ?? 1000);
  }

  observe(f: DecodedFrame, frameNo: number): void {
    const m = f.icmp6!;
    if (m.type === NS) this.solicit(f, frameNo);
    else if (m.type === NA) this.advert(f, frameNo);
  }

  private solicit(f: DecodedFrame, frameNo: number): void {
    const ctx = this.ctx;
    const ip = f.ipv6!;
    const target = ctx.ip6Id(f.bytes, f.icmp6!.targetOffset);
    if (ip.srcUnspecified) {
      this.probes.set(target, frameNo);
      const mac = f.srcMacNum;
      const who = mac === undefined ? 'a host' : ctx.macLabel(mac);
      ctx.report('ndp-dad-probe', 'info', [frameNo], ctx.clock.sec, ctx.clock.nsec, `${who} probed whether ${ctx.ip6Label(target)} is in use (DAD)`,
        { dst: ctx.ip6Label(target) });
      return;
    }
    const asker = ctx.ip6Id(f.bytes, ip.srcOffset);
    this.pairs.get(asker, target).resolveRequests++;
    this.ask(this.store.find(asker, target), target, frameNo);
  }

  private advert(f: DecodedFrame, frameNo: number): void {
    const ctx = this.ctx;
    const m = f.icmp6!;
    const { sec, nsec } = ctx.clock;
    const target = ctx.ip6Id(f.bytes, m.targetOffset);
    const optMac = f.ndOptions.linkAddrNum(NdOpt.TARGET_LL);
    const mac = optMac >= 0 ? optMac : (f.srcMacNum ?? -1);
    if (mac >= 0 && this.claim(target, mac, frameNo)) return;
    const probe = this.probes.get(target);
    if (probe !== undefined) {
      this.probes.delete(target);
      ctx.report('ndp-duplicate-address', 'error', [frameNo, probe], sec, nsec,
        `${ctx.ip6Label(target)} probed in frame ${probe} is already held by ${mac >= 0 ? ctx.macLabel(mac) : 'another host'}`,
        { src: ctx.ip6Label(target), requestFrame: probe });
      return;
    }
    if (!m.naSolicited) {
      ctx.report('ndp-unsolicited-advert', 'info', [frameNo], sec, nsec,
        `${ctx.ip6Label(target)} announced it is-at ${mac >= 0 ? formatMacNumber(mac) : '?'} (unsolicited advertisement)`, { src: ctx.ip6Label(target) });
      return;
    }
    const asker = ctx.ip6Id(f.bytes, f.ipv6!.dstOffset);
    const pair = this.pairs.get(target, asker);
    pair.resolveReplies++;
    const store = this.store;
    const tx = store.find(asker, target);
    const state = tx >= 0 ? store.state[tx] : -1;
    if (state === ANSWERED || state === ERROR) {
      ctx.touch(store, tx, frameNo, ROLE_REPEAT);
      return;
    }
    if (state !== OPEN && state !== UNANSWERED) return;
    this.close(tx, pair, frameNo, mac);
    ctx.touch(store, tx, frameNo, ROLE_REPLY);
  }

  /** True (and reported) when another MAC already advertised this address. */
  private claim(target: number, mac: number, frameNo: number): boolean {
    const owner = this.owners.get(target);
    if (owner === undefined) {
      this.owners.set(target, mac);
      return false;
    }
    if (owner === mac) return false;
    const key = `${target}/${mac}`;
    if (this.conflicts.has(key)) return true;
    this.conflicts.add(key);
    const ctx = this.ctx;
    ctx.report('ndp-duplicate-address', 'error', [frameNo], ctx.clock.sec, ctx.clock.nsec,
      `${ctx.ip6Label(target)} advertised by two MACs: ${ctx.macLabel(owner)} and ${ctx.macLabel(mac)}`, { src: ctx.ip6Label(target) });
    return true;
  }

  protected reportUnanswered(slot: number, from: string, to: string, sec: number, nsec: number): void {
    const store = this.store;
    const asked = store.repeats[slot] ? ` (asked ${store.repeats[slot] + 1} times)` : '';
    this.ctx.report('ndp-unanswered', 'warning', [store.requestFrame[slot]], sec, nsec,
      `${from} solicited ${to}: no advertisement within ${formatMs(this.timeoutMs * 1e6)}${asked}`, { src: from, dst: to });
  }
}
