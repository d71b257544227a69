import { Icmp6Type, icmp6CodeName, ipProtoName, type DecodedFrame } from '../decode/index.js';
import type { AnalysisContext } from './context.js';
import type { FindingKind } from './findings.js';
import { ROLE_REPEAT, ROLE_REPLY } from './frame-annotations.js';
import { formatMs } from '../duration.js';
import { KindAnalysis, idSeq } from './kind-analysis.js';
import { ANSWERED, ERROR, OPEN, UNANSWERED } from './transaction-store.js';

const ERROR_KINDS: Partial<Record<number, FindingKind>> = {
  [Icmp6Type.DEST_UNREACHABLE]: 'icmp6-unreachable',
  [Icmp6Type.PACKET_TOO_BIG]: 'icmp6-too-big',
  [Icmp6Type.TIME_EXCEEDED]: 'icmp6-time-exceeded',
};

/**
 * ICMPv6 echo pairing by (source, destination, identifier, sequence) with RTT, and ICMPv6 errors
 * tied to the echo request they quote. The IPv4 echo analysis's rules; addresses are `ip6Id`s.
 * Duplicate requests and replies are counted as repeats, without findings of their own.
 */
export class Echo6Analysis extends KindAnalysis {
  constructor(ctx: AnalysisContext, opts: { echoTimeoutMs?: number }) {
    super(ctx, 'echo6', opts.echoTimeoutMs ?? 1000);
  }

  observe(f: DecodedFrame, frameNo: number): void {
    const m = f.icmp6!;
    if (m.type === Icmp6Type.ECHO_REQUEST) this.request(f, frameNo);
    else if (m.type === Icmp6Type.ECHO_REPLY) this.reply(f, frameNo);
    else if (m.isError) this.error(f, frameNo);
  }

  private request(f: DecodedFrame, frameNo: number): void {
    const ctx = this.ctx;
    const m = f.icmp6!;
    const src = ctx.ip6Id(f.bytes, f.ipv6!.srcOffset);
    const dst = ctx.ip6Id(f.bytes, f.ipv6!.dstOffset);
    this.pairs.get(src, dst).echoRequests++;
    this.ask(this.findTo(src, dst, idSeq(m.identifier, m.sequence)), dst, frameNo);
  }

  private reply(f: DecodedFrame, frameNo: number): void {
    const ctx = this.ctx;
    const store = this.store;
    const m = f.icmp6!;
    const src = ctx.ip6Id(f.bytes, f.ipv6!.srcOffset);
    const dst = ctx.ip6Id(f.bytes, f.ipv6!.dstOffset);
    const pair = this.pairs.get(src, dst);
    pair.echoReplies++;
    const tx = this.findTo(dst, src, idSeq(m.identifier, m.sequence));
    const state = tx >= 0 ? store.state[tx] : -1;
    if (state === ANSWERED || state === ERROR) {
      ctx.touch(store, tx, frameNo, ROLE_REPEAT);
      return;
    }
    if (state !== OPEN && state !== UNANSWERED) {
      ctx.report('echo6-reply-without-request', 'info', [frameNo], ctx.clock.sec, ctx.clock.nsec,
        `${ctx.ip6Label(src)} -> ${ctx.ip6Label(dst)} echo reply id ${m.identifier} seq ${m.sequence} without a request in this capture`,
        { src: ctx.ip6Label(src), dst: ctx.ip6Label(dst) });
      return;
    }
    if (this.close(tx, pair, frameNo, -1)) {
      const rttNs = store.rttNs[tx];
      ctx.report('echo6-late-reply', 'warning', [frameNo, store.requestFrame[tx]], ctx.clock.sec, ctx.clock.nsec,
        `${ctx.ip6Label(src)} -> ${ctx.ip6Label(dst)} echo reply id ${m.identifier} seq ${m.sequence} came ${formatMs(rttNs)} after its request, past the ${formatMs(this.timeoutMs * 1e6)} timeout`,
        { src: ctx.ip6Label(src), dst: ctx.ip6Label(dst), requestFrame: store.requestFrame[tx], rttNs });
    }
    ctx.touch(store, tx, frameNo, ROLE_REPLY);
  }

  private error(f: DecodedFrame, frameNo: number): void {
    const ctx = this.ctx;
    const store = this.store;
    const m = f.icmp6!;
    const by = ctx.ip6Label(ctx.ip6Id(f.bytes, f.ipv6!.srcOffset));
    const to = ctx.ip6Label(ctx.ip6Id(f.bytes, f.ipv6!.dstOffset));
    const what = m.type === Icmp6Type.PACKET_TOO_BIG ? `packet too big (mtu ${m.mtu})` : `${m.typeName} (${icmp6CodeName(m.type, m.code)})`;
    let text = `${by} told ${to}: ${what}`;
    let tx = -1;
    const q = f.quotedIpv6;
    if (q) {
      const qs = ctx.ip6Id(f.bytes, q.srcOffset);
      const qd = ctx.ip6Id(f.bytes, q.dstOffset);
      text += ` for ${ctx.ip6Label(qs)} > ${ctx.ip6Label(qd)} ${ipProtoName(q.nextHeader)}`;
      const qi = f.quotedIcmp6;
      if (qi?.complete && qi.type === Icmp6Type.ECHO_REQUEST) {
        text += ` echo request id ${qi.identifier} seq ${qi.sequence}`;
        tx = this.findTo(qs, qd, idSeq(qi.identifier, qi.sequence));
        if (tx >= 0) text += ` (frame ${store.requestFrame[tx]})`;
      }
    } else text += ' (quoted datagram not captured)';
    const requestFrame = tx >= 0 ? store.requestFrame[tx] : undefined;
    const kind = ERROR_KINDS[m.type] ?? 'icmp6-error';
    ctx.report(kind, kind === 'icmp6-error' ? 'warning' : 'error', requestFrame !== undefined ? [frameNo, requestFrame] : [frameNo],
      ctx.clock.sec, ctx.clock.nsec, text, { src: by, dst: to, requestFrame });
    this.closeWithError(tx, frameNo);
  }

  protected reportUnanswered(slot: number, from: string, to: string, sec: number, nsec: number): void {
    const store = this.store;
    const key = store.key2[slot];
    this.ctx.report('echo6-unanswered', 'warning', [store.requestFrame[slot]], sec, nsec,
      `${from} -> ${to} echo request id ${key >>> 16} seq ${key & 0xffff}: no reply within ${formatMs(this.timeoutMs * 1e6)}`,
      { src: from, dst: to, requestFrame: store.requestFrame[slot] });
  }
}
