import { IpProto, ipProtoName, type DecodedFrame } from '../decode/index.js';
import type { AnalysisContext } from './context.js';
import { ROLE_ERROR, ROLE_REPEAT, ROLE_REPLY, ROLE_REQUEST } from './frame-annotations.js';
import { formatMs, nsBetween } from './frame-time.js';
import { ANSWERED, ERROR, OPEN, UNANSWERED, type TransactionStore } from './transaction-store.js';

export interface EchoOptions {
  /** No reply within this many ms (frame clock) makes an echo request unanswered. Default 1000. */
  echoTimeoutMs?: number;
}

const UNREACHABLE = ['net', 'host', 'protocol', 'port', 'fragmentation needed', 'source route failed',
  'net unknown', 'host unknown', 'source host isolated', 'net prohibited', 'host prohibited',
  'net for TOS', 'host for TOS', 'administratively prohibited', 'host precedence violation', 'precedence cutoff'];
const ERROR_NAMES: Record<number, string> = { 4: 'source quench', 5: 'redirect', 12: 'parameter problem' };

/**
 * Second half of an echo transaction's key, after the requester's IP: identifier and sequence as
 * one uint32. The target IP is checked on the transaction. A requester using one identifier and
 * sequence towards two targets at once keeps only the latest of the two open (ping uses one
 * target per identifier).
 */
const idSeq = (id: number, seq: number) => id * 65536 + seq;

/**
 * ICMP echo pairing by (source, destination, identifier, sequence), RTT in nanoseconds on frame
 * timestamps, and ICMP errors tied to the datagram they quote (and, for a quoted echo request,
 * to the request's own frame). Per frame this touches typed arrays only; strings and objects are
 * made for findings.
 */
export class EchoAnalysis {
  readonly store: TransactionStore;
  private readonly timeoutMs: number;

  constructor(
    private readonly ctx: AnalysisContext,
    opts: EchoOptions,
  ) {
    this.timeoutMs = opts.echoTimeoutMs ?? 1000;
    this.store = ctx.newStore('echo', this.timeoutMs * 1e6);
  }

  get open(): number {
    return this.store.live;
  }

  observe(f: DecodedFrame, frameNo: number, sec: number, nsec: number): void {
    const icmp = f.icmp!;
    const ip = f.ipv4!;
    const type = icmp.type;
    if (icmp.hasIdSeq && type === 8) this.request(ip.srcNum, ip.dstNum, icmp.identifier, icmp.sequence, frameNo, sec, nsec);
    else if (icmp.hasIdSeq && type === 0) this.reply(ip.srcNum, ip.dstNum, icmp.identifier, icmp.sequence, frameNo, sec, nsec);
    else if (icmp.isError) this.error(f, frameNo, sec, nsec);
  }

  expire(sec: number, nsec: number): void {
    const store = this.store;
    let slot;
    while ((slot = store.nextDue(sec, nsec)) >= 0) this.timedOut(slot);
    store.retire(sec, nsec);
  }

  finish(pendingAsUnanswered: boolean): number {
    const store = this.store;
    let pending = 0;
    let slot;
    while ((slot = store.nextPending()) >= 0) {
      if (pendingAsUnanswered) this.timedOut(slot);
      else if (store.state[slot] === OPEN) {
        pending++;
        this.ctx.pairs.get(store.srcIp[slot], store.dstIp[slot]).echoPending++;
      }
    }
    store.closeAll();
    return pending;
  }

  private find(src: number, dst: number, id: number, seq: number): number {
    const slot = this.store.find(src, idSeq(id, seq));
    return slot >= 0 && this.store.dstIp[slot] === dst ? slot : -1;
  }

  private request(src: number, dst: number, id: number, seq: number, frameNo: number, sec: number, nsec: number): void {
    const ctx = this.ctx;
    const store = this.store;
    ctx.pairs.get(src, dst).echoRequests++;
    const old = this.find(src, dst, id, seq);
    if (old >= 0 && store.state[old] === OPEN) {
      store.repeats[old]++;
      const first = store.requestFrame[old];
      const from = ctx.ipLabel(src);
      const to = ctx.ipLabel(dst);
      ctx.report('echo-duplicate-request', 'warning', [frameNo, first], sec, nsec,
        `${from} -> ${to} echo request id ${id} seq ${seq} seen again (first in frame ${first})`,
        { src: from, dst: to, requestFrame: first });
      ctx.touch(store, old, frameNo, ROLE_REPEAT);
      return;
    }
    ctx.openTransaction(store, src, dst, idSeq(id, seq), id, seq, frameNo, sec, nsec);
  }

  private reply(src: number, dst: number, id: number, seq: number, frameNo: number, sec: number, nsec: number): void {
    const ctx = this.ctx;
    const store = this.store;
    const pair = ctx.pairs.get(src, dst);
    pair.echoReplies++;
    // A reply travels back: its destination asked.
    const tx = this.find(dst, src, id, seq);
    if (tx < 0) {
      ctx.report('echo-reply-without-request', 'info', [frameNo], sec, nsec,
        `${ctx.ipLabel(src)} -> ${ctx.ipLabel(dst)} echo reply id ${id} seq ${seq} without a request in this capture`,
        { src: ctx.ipLabel(src), dst: ctx.ipLabel(dst) });
      return;
    }
    const state = store.state[tx];
    const requestFrame = store.requestFrame[tx];
    if (state === ANSWERED) {
      const first = store.replyFrame[tx];
      ctx.report('echo-duplicate-reply', 'warning', [frameNo, first], sec, nsec,
        `${ctx.ipLabel(src)} -> ${ctx.ipLabel(dst)} echo reply id ${id} seq ${seq} seen again (first in frame ${first})`,
        { src: ctx.ipLabel(src), dst: ctx.ipLabel(dst), requestFrame });
      ctx.touch(store, tx, frameNo, ROLE_REPEAT);
      return;
    }
    const late = state === UNANSWERED;
    if (late) pair.echoLost--;
    const rttNs = nsBetween(store.requestSec[tx], store.requestNsec[tx], sec, nsec);
    store.state[tx] = ANSWERED;
    store.replyFrame[tx] = frameNo;
    store.rttNs[tx] = rttNs;
    pair.rtt.add(rttNs);
    if (late) {
      ctx.report('echo-late-reply', 'warning', [frameNo, requestFrame], sec, nsec,
        `${ctx.ipLabel(src)} -> ${ctx.ipLabel(dst)} echo reply id ${id} seq ${seq} came ${formatMs(rttNs)} after its request (frame ${requestFrame}), past the ${formatMs(this.timeoutMs * 1e6)} timeout`,
        { src: ctx.ipLabel(src), dst: ctx.ipLabel(dst), requestFrame, rttNs });
    }
    ctx.touch(store, tx, frameNo, ROLE_REPLY);
  }

  private error(f: DecodedFrame, frameNo: number, sec: number, nsec: number): void {
    const ctx = this.ctx;
    const store = this.store;
    const icmp = f.icmp!;
    const ip = f.ipv4!;
    const type = icmp.type;
    const kind = type === 3 ? 'icmp-unreachable' : type === 11 ? 'icmp-time-exceeded' : 'icmp-error';
    const what = type === 3 ? `${UNREACHABLE[icmp.code] ?? `code ${icmp.code}`} unreachable`
      : type === 11 ? (icmp.code === 0 ? 'TTL exceeded in transit' : 'fragment reassembly time exceeded')
      : (ERROR_NAMES[type] ?? `ICMP type ${type}`);
    const by = ctx.ipLabel(ip.srcNum);
    const to = ctx.ipLabel(ip.dstNum);
    const q = f.quotedIpv4;
    let text = `${by} told ${to}: ${what}`;
    let tx = -1;
    if (q) {
      text += ` for ${ctx.ipLabel(q.srcNum)} > ${ctx.ipLabel(q.dstNum)} ${ipProtoName(q.protocol)}`;
      const qp = q.payloadOffset;
      if ((q.protocol === IpProto.UDP || q.protocol === IpProto.TCP) && q.offset + q.available - qp >= 4) {
        text += ` port ${(f.bytes[qp + 2] << 8) | f.bytes[qp + 3]}`;
      }
      const qi = f.quotedIcmp;
      if (qi?.hasIdSeq && qi.type === 8) {
        text += ` echo request id ${qi.identifier} seq ${qi.sequence}`;
        tx = this.find(q.srcNum, q.dstNum, qi.identifier, qi.sequence);
        if (tx >= 0) text += ` (frame ${store.requestFrame[tx]})`;
      }
    } else {
      text += ' (quoted datagram not captured)';
    }
    const severity = type === 3 || type === 11 ? 'error' : 'warning';
    const requestFrame = tx >= 0 ? store.requestFrame[tx] : undefined;
    ctx.report(kind, severity, requestFrame !== undefined ? [frameNo, requestFrame] : [frameNo], sec, nsec, text,
      { src: by, dst: to, requestFrame });
    const state = tx >= 0 ? store.state[tx] : -1;
    if (state === OPEN || state === UNANSWERED) {
      const pair = ctx.pairs.get(store.srcIp[tx], store.dstIp[tx]);
      if (state === UNANSWERED) pair.echoLost--;
      store.state[tx] = ERROR;
      store.errorFrame[tx] = frameNo;
      pair.echoErrors++;
      ctx.touch(store, tx, frameNo, ROLE_ERROR);
    }
  }

  private timedOut(slot: number): void {
    const store = this.store;
    if (store.state[slot] !== OPEN) return;
    store.state[slot] = UNANSWERED;
    const ctx = this.ctx;
    const src = store.srcIp[slot];
    const dst = store.dstIp[slot];
    const requestFrame = store.requestFrame[slot];
    const sec = store.requestSec[slot];
    ctx.pairs.get(src, dst).echoLost++;
    const from = ctx.ipLabel(src, sec);
    const to = ctx.ipLabel(dst, sec);
    ctx.report('echo-unanswered', 'warning', [requestFrame], sec, store.requestNsec[slot],
      `${from} -> ${to} echo request id ${store.identifier[slot]} seq ${store.sequence[slot]}: no reply within ${formatMs(this.timeoutMs * 1e6)}`,
      { src: from, dst: to, requestFrame });
    ctx.touch(store, slot, requestFrame, ROLE_REQUEST);
  }
}
