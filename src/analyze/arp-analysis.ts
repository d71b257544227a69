import { ArpOp, formatIpv4Number, formatMacNumber, type ArpView } from '../decode/index.js';
import type { AnalysisContext } from './context.js';
import { KindAnalysis } from './kind-analysis.js';
import { ROLE_REPEAT, ROLE_REPLY } from './frame-annotations.js';
import { formatMs } from '../duration.js';
import { nsBetween } from './frame-time.js';
import { ANSWERED, ERROR, OPEN, UNANSWERED } from './transaction-store.js';

export interface ArpOptions {
  /** No reply within this many ms (frame clock) makes a request unanswered. Default 1000. */
  arpTimeoutMs?: number;
  /** More ARP frames than this from one sender MAC within one second is a storm. Default 50. */
  arpStormPerSecond?: number;
}

interface StormWindow {
  sec: number;
  nsec: number;
  count: number;
  reported: boolean;
}


/**
 * ARP questions and answers. A request opens a transaction keyed (requester IP, target IP); the
 * reply from the target to the requester closes it. Requests repeated while the question is open
 * (the kernel retries every second) count as repeats of it. Probes (sender 0.0.0.0) and
 * announcements (sender = target) expect no answer and open nothing.
 */
export class ArpAnalysis extends KindAnalysis {
  private readonly stormLimit: number;
  /** First MAC that claimed each IPv4 address; conflicts are reported once per (IP, MAC). */
  private readonly owners = new Map<number, number>();
  private readonly conflicts = new Set<string>();
  private readonly storms = new Map<number, StormWindow>();

  constructor(ctx: AnalysisContext, opts: ArpOptions) {
    super(ctx, 'arp', opts.arpTimeoutMs ?? 1000);
    this.stormLimit = opts.arpStormPerSecond ?? 50;
  }

  /** Times come from the context's clock, set to this frame. */
  observe(arp: ArpView, frameNo: number): void {
    if (!arp.isEthernetIpv4) return;
    const { sec, nsec } = this.ctx.clock;
    const mac = arp.senderMacNum;
    this.storm(mac, frameNo, sec, nsec);
    const op = arp.operation;
    const sip = arp.senderIpNum;
    const tip = arp.targetIpNum;
    if (sip !== 0) this.claim(sip, mac, frameNo, sec, nsec);
    if (op === ArpOp.REQUEST) this.request(arp, mac, sip, tip, frameNo, sec, nsec);
    else if (op === ArpOp.REPLY) this.reply(arp, mac, sip, tip, frameNo, sec, nsec);
  }

  private request(arp: ArpView, mac: number, sip: number, tip: number, frameNo: number, sec: number, nsec: number): void {
    const ctx = this.ctx;
    if (arp.isProbe) {
      ctx.report('arp-probe', 'info', [frameNo], sec, nsec, `${ctx.macLabel(mac)} probed whether ${ctx.ipLabel(tip)} is in use`, {
        dst: ctx.ipLabel(tip),
      });
      return;
    }
    if (arp.isGratuitous) {
      this.announce(mac, sip, frameNo, sec, nsec, 'request');
      return;
    }
    this.pairs.get(sip, tip).resolveRequests++;
    this.ask(this.store.find(sip, tip), tip, frameNo);
  }

  private reply(arp: ArpView, mac: number, sip: number, tip: number, frameNo: number, sec: number, nsec: number): void {
    const ctx = this.ctx;
    if (arp.isGratuitous) {
      this.announce(mac, sip, frameNo, sec, nsec, 'reply');
      return;
    }
    if (tip === 0) {
      // RFC 5227: a reply to a probe means the probed address is already in use.
      ctx.report('arp-duplicate-ip', 'warning', [frameNo], sec, nsec,
        `${ctx.ipLabel(sip)} probed by ${ctx.macLabel(arp.targetMacNum)} is already held by ${ctx.macLabel(mac)}`, { src: ctx.ipLabel(sip) });
      return;
    }
    const pair = this.pairs.get(sip, tip);
    pair.resolveReplies++;
    // The reply comes from the asked address (sip) to the asker (tip).
    const store = this.store;
    const tx = store.find(tip, sip);
    const state = tx >= 0 ? store.state[tx] : -1;
    if (state !== OPEN && state !== UNANSWERED) {
      if (state === ANSWERED || state === ERROR) {
        ctx.touch(store, tx, frameNo, ROLE_REPEAT);
        return;
      }
      ctx.report('arp-unsolicited-reply', 'info', [frameNo], sec, nsec,
        `${ctx.ipLabel(sip)} told ${ctx.ipLabel(tip)} it is at ${formatMacNumber(mac)} without a request in this capture`,
        { src: ctx.ipLabel(sip), dst: ctx.ipLabel(tip) });
      return;
    }
    this.close(tx, pair, frameNo, mac);
    ctx.touch(store, tx, frameNo, ROLE_REPLY);
  }

  private announce(mac: number, ip: number, frameNo: number, sec: number, nsec: number, op: string): void {
    const ctx = this.ctx;
    ctx.report('arp-gratuitous', 'info', [frameNo], sec, nsec,
      `${ctx.ipLabel(ip)} announced ${formatIpv4Number(ip)} is-at ${formatMacNumber(mac)} (gratuitous ARP ${op})`, { src: ctx.ipLabel(ip) });
  }

  private claim(ip: number, mac: number, frameNo: number, sec: number, nsec: number): void {
    const owner = this.owners.get(ip);
    if (owner === undefined) {
      this.owners.set(ip, mac);
      return;
    }
    if (owner === mac) return;
    const key = `${ip}/${mac}`;
    if (this.conflicts.has(key)) return;
    this.conflicts.add(key);
    const ctx = this.ctx;
    ctx.report('arp-duplicate-ip', 'error', [frameNo], sec, nsec,
      `${formatIpv4Number(ip)} claimed by two MACs: ${ctx.macLabel(owner)} and ${ctx.macLabel(mac)}`, { src: ctx.ipLabel(ip) });
  }

  /** Fixed one-second windows per sender MAC, opened by that sender's first frame. */
  private storm(mac: number, frameNo: number, sec: number, nsec: number): void {
    let w = this.storms.get(mac);
    if (!w) this.storms.set(mac, (w = { sec, nsec, count: 0, reported: false }));
    if (nsBetween(w.sec, w.nsec, sec, nsec) >= 1e9) {
      // A storm is reported once until a quiet second ends it.
      if (w.count <= this.stormLimit) w.reported = false;
      w.sec = sec;
      w.nsec = nsec;
      w.count = 0;
    }
    if (++w.count > this.stormLimit && !w.reported) {
      w.reported = true;
      const ctx = this.ctx;
      ctx.report('arp-storm', 'warning', [frameNo], sec, nsec,
        `${ctx.macLabel(mac)} sent more than ${this.stormLimit} ARP frames within one second`);
    }
  }

  protected reportUnanswered(slot: number, from: string, to: string, sec: number, nsec: number): void {
    const store = this.store;
    const asked = store.repeats[slot] ? ` (asked ${store.repeats[slot] + 1} times)` : '';
    this.ctx.report('arp-unanswered', 'warning', [store.requestFrame[slot]], sec, nsec,
      `${from} asked who-has ${to}: no reply within ${formatMs(this.timeoutMs * 1e6)}${asked}`,
      { src: from, dst: to });
  }

}
