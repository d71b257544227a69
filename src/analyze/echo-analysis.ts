import { IcmpTimeExceeded, IcmpType, icmpCodeName, icmpTypeName, ipProtoName, type DecodedFrame, type IcmpView, type Ipv4View } from '../decode/index.js';
import type { AnalysisContext } from './context.js';
import { KindAnalysis } from './kind-analysis.js';
import { ROLE_REPEAT, ROLE_REPLY } from './frame-annotations.js';
import { formatMs } from '../duration.js';
import { ANSWERED } from './transaction-store.js';

export interface EchoOptions {
  /** No reply within this many ms (frame clock) makes an echo request unanswered. Default 1000. */
  echoTimeoutMs?: number;
}


/**
 * ICMP echo pairing by (source, destination, identifier, sequence), RTT in nanoseconds on frame
 * timestamps, and ICMP errors tied to the datagram they quote (and, for a quoted echo request,
 * to the request's own frame). Per frame this touches typed arrays only; strings and objects are
 * made for findings. Hot calls take views and small integers, never addresses or times (a
 * number outside the small-integer range becomes a heap number when passed), so the request and
 * reply paths allocate nothing.
 */
export class EchoAnalysis extends KindAnalysis {

  constructor(ctx: AnalysisContext, opts: EchoOptions) {
    super(ctx, 'echo', opts.echoTimeoutMs ?? 1000);
  }

  /**
   * Times come from the context's clock, set to this frame. Requests and replies are one function,
   * not three: V8 optimises a hot callee on its own before its caller and then again inside it,
   * and re-optimises whatever inlined the echo path when a frame of another kind first comes.
   */
  observe(f: DecodedFrame, frameNo: number): void {
    const icmp = f.icmp!;
    const type = icmp.type;
    const request = type === IcmpType.ECHO_REQUEST;
    if (!((request || type === IcmpType.ECHO_REPLY) && icmp.hasIdSeq)) {
      if (icmp.isError) this.error(f, frameNo);
      return;
    }
    const ip = f.ipv4!;
    const store = this.store;
    const src = ip.srcNum;
    const dst = ip.dstNum;
    const key2 = icmp.idSeq;
    const pair = this.pairs.get(src, dst);
    if (request) {
      pair.echoRequests++;
      const old = store.find(src, key2);
      if (store.isOpenTo(old, dst)) this.duplicateRequest(old, frameNo);
      else this.ctx.openTransaction(store, dst, frameNo);
      return;
    }
    pair.echoReplies++;
    // A reply travels back: its destination asked.
    const tx = store.find(dst, key2);
    if (tx < 0 || store.dstIp[tx] !== src) this.unexpectedReply(ip, icmp, frameNo, -1);
    else if (store.state[tx] === ANSWERED) this.unexpectedReply(ip, icmp, frameNo, tx);
    else {
      if (this.close(tx, pair, frameNo, -1)) this.lateReply(tx, frameNo);
      this.ctx.touch(store, tx, frameNo, ROLE_REPLY);
    }
  }

  private duplicateRequest(old: number, frameNo: number): void {
    const ctx = this.ctx;
    const store = this.store;
    store.repeats[old]++;
    const first = store.requestFrame[old];
    const from = ctx.ipLabel(store.srcIp[old]);
    const to = ctx.ipLabel(store.dstIp[old]);
    const key = store.key2[old];
    ctx.report('echo-duplicate-request', 'warning', [frameNo, first], ctx.clock.sec, ctx.clock.nsec,
      `${from} -> ${to} echo request id ${key >>> 16} seq ${key & 0xffff} seen again (first in frame ${first})`,
      { src: from, dst: to, requestFrame: first });
    ctx.touch(store, old, frameNo, ROLE_REPEAT);
  }

  /** A reply without a held request (tx -1), or a second reply to an answered one. */
  private unexpectedReply(ip: Ipv4View, icmp: IcmpView, frameNo: number, tx: number): void {
    const ctx = this.ctx;
    const src = ctx.ipLabel(ip.srcNum);
    const dst = ctx.ipLabel(ip.dstNum);
    const what = `${src} -> ${dst} echo reply id ${icmp.identifier} seq ${icmp.sequence}`;
    const { sec, nsec } = ctx.clock;
    if (tx < 0) {
      ctx.report('echo-reply-without-request', 'info', [frameNo], sec, nsec, `${what} without a request in this capture`, { src, dst });
      return;
    }
    const store = this.store;
    const first = store.answerFrame[tx];
    ctx.report('echo-duplicate-reply', 'warning', [frameNo, first], sec, nsec, `${what} seen again (first in frame ${first})`,
      { src, dst, requestFrame: store.requestFrame[tx] });
    ctx.touch(store, tx, frameNo, ROLE_REPEAT);
  }

  private lateReply(tx: number, frameNo: number): void {
    const ctx = this.ctx;
    const store = this.store;
    const requestFrame = store.requestFrame[tx];
    const rttNs = store.rttNs[tx];
    const key = store.key2[tx];
    // The reply goes from the asked (dstIp) to the asker (srcIp).
    const src = ctx.ipLabel(store.dstIp[tx]);
    const dst = ctx.ipLabel(store.srcIp[tx]);
    ctx.report('echo-late-reply', 'warning', [frameNo, requestFrame], ctx.clock.sec, ctx.clock.nsec,
      `${src} -> ${dst} echo reply id ${key >>> 16} seq ${key & 0xffff} came ${formatMs(rttNs)} after its request (frame ${requestFrame}), past the ${formatMs(this.timeoutMs * 1e6)} timeout`,
      { src, dst, requestFrame, rttNs });
  }

  private error(f: DecodedFrame, frameNo: number): void {
    const ctx = this.ctx;
    const store = this.store;
    const icmp = f.icmp!;
    const ip = f.ipv4!;
    const type = icmp.type;
    const kind = type === IcmpType.DEST_UNREACHABLE ? 'icmp-unreachable' : type === IcmpType.TIME_EXCEEDED ? 'icmp-time-exceeded' : 'icmp-error';
    const what = type === IcmpType.DEST_UNREACHABLE ? `${icmpCodeName(type, icmp.code)} unreachable`
      : type === IcmpType.TIME_EXCEEDED ? (icmp.code === IcmpTimeExceeded.IN_TRANSIT ? 'TTL exceeded in transit' : 'fragment reassembly time exceeded')
      : icmpTypeName(type);
    const by = ctx.ipLabel(ip.srcNum);
    const to = ctx.ipLabel(ip.dstNum);
    const q = f.quotedIpv4;
    let text = `${by} told ${to}: ${what}`;
    let tx = -1;
    if (q) {
      text += ` for ${ctx.ipLabel(q.srcNum)} > ${ctx.ipLabel(q.dstNum)} ${ipProtoName(q.protocol)}`;
      const port = q.dstPort;
      if (port >= 0) text += ` port ${port}`;
      const qi = f.quotedIcmp;
      if (qi?.hasIdSeq && qi.type === IcmpType.ECHO_REQUEST) {
        text += ` echo request id ${qi.identifier} seq ${qi.sequence}`;
        tx = this.findTo(q.srcNum, q.dstNum, qi.idSeq);
        if (tx >= 0) text += ` (frame ${store.requestFrame[tx]})`;
      }
    } else {
      text += ' (quoted datagram not captured)';
    }
    const severity = type === IcmpType.DEST_UNREACHABLE || type === IcmpType.TIME_EXCEEDED ? 'error' : 'warning';
    const requestFrame = tx >= 0 ? store.requestFrame[tx] : undefined;
    ctx.report(kind, severity, requestFrame !== undefined ? [frameNo, requestFrame] : [frameNo], ctx.clock.sec, ctx.clock.nsec, text,
      { src: by, dst: to, requestFrame });
    this.closeWithError(tx, frameNo);
  }

  protected reportUnanswered(slot: number, from: string, to: string, sec: number, nsec: number): void {
    const store = this.store;
    const requestFrame = store.requestFrame[slot];
    const key = store.key2[slot];
    this.ctx.report('echo-unanswered', 'warning', [requestFrame], sec, nsec,
      `${from} -> ${to} echo request id ${key >>> 16} seq ${key & 0xffff}: no reply within ${formatMs(this.timeoutMs * 1e6)}`,
      { src: from, dst: to, requestFrame });
  }
}
