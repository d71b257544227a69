import { IpProto, ipProtoName, type DecodedFrame } from '../decode/index.js';
import type { AnalysisContext } from './context.js';
import type { Transaction } from './findings.js';
import { formatMs, nsBetween } from './frame-time.js';
import { TransactionTable } from './transaction-table.js';

export interface EchoOptions {
  /** No reply within this many ms (frame clock) makes an echo request unanswered. Default 1000. */
  echoTimeoutMs?: number;
}

const UNREACHABLE = ['net', 'host', 'protocol', 'port', 'fragmentation needed', 'source route failed',
  'net unknown', 'host unknown', 'source host isolated', 'net prohibited', 'host prohibited',
  'net for TOS', 'host for TOS', 'administratively prohibited', 'host precedence violation', 'precedence cutoff'];
const ERROR_NAMES: Record<number, string> = { 4: 'source quench', 5: 'redirect', 12: 'parameter problem' };

/**
 * Key of an echo transaction: (requester IP, identifier) as one exact 48-bit double, then the
 * sequence number (a small integer, the fast kind of Map key); the target IP is checked on the
 * transaction. A requester using one identifier and sequence towards two targets at once keeps
 * only the latest of the two open (ping uses one target per identifier).
 */
const k1 = (ip: number, id: number) => ip * 65536 + id;

/**
 * ICMP echo pairing by (source, destination, identifier, sequence), RTT in nanoseconds on frame
 * timestamps, and ICMP errors tied to the datagram they quote (and, for a quoted echo request,
 * to the request's own frame).
 */
export class EchoAnalysis {
  private readonly table: TransactionTable;
  private readonly timeoutMs: number;

  constructor(
    private readonly ctx: AnalysisContext,
    opts: EchoOptions,
  ) {
    this.timeoutMs = opts.echoTimeoutMs ?? 1000;
    this.table = new TransactionTable(this.timeoutMs * 1e6, (tx) => k1(tx.srcIp, tx.identifier), (tx) => tx.sequence);
  }

  get open(): number {
    return this.table.size;
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
    let tx;
    while ((tx = this.table.nextDue(sec, nsec))) this.timedOut(tx);
    while (this.table.nextRetired(sec, nsec));
  }

  finish(pendingAsUnanswered: boolean): number {
    let pending = 0;
    for (const tx of this.table.drainPending()) {
      if (pendingAsUnanswered) this.timedOut(tx);
      else if (tx.state === 'open') {
        pending++;
        this.ctx.pairs.get(tx.srcIp, tx.dstIp).echoPending++;
      }
    }
    this.table.drainRetained();
    return pending;
  }

  private find(src: number, dst: number, id: number, seq: number): Transaction | undefined {
    const tx = this.table.get(k1(src, id), seq);
    return tx?.dstIp === dst ? tx : undefined;
  }

  private request(src: number, dst: number, id: number, seq: number, frameNo: number, sec: number, nsec: number): void {
    const ctx = this.ctx;
    ctx.pairs.get(src, dst).echoRequests++;
    const old = this.find(src, dst, id, seq);
    if (old?.state === 'open') {
      old.repeats++;
      ctx.report('echo-duplicate-request', 'warning', [frameNo, old.requestFrame], sec, nsec,
        `${old.srcLabel} -> ${old.dstLabel} echo request id ${id} seq ${seq} seen again (first in frame ${old.requestFrame})`,
        { src: old.srcLabel, dst: old.dstLabel, requestFrame: old.requestFrame });
      ctx.touch(old, frameNo, 'repeat');
      return;
    }
    const tx = ctx.openTransaction('echo', src, dst, frameNo, sec, nsec);
    tx.identifier = id;
    tx.sequence = seq;
    this.table.add(k1(src, id), seq, tx);
  }

  private reply(src: number, dst: number, id: number, seq: number, frameNo: number, sec: number, nsec: number): void {
    const ctx = this.ctx;
    const pair = ctx.pairs.get(src, dst);
    pair.echoReplies++;
    // A reply travels back: its destination asked.
    const tx = this.find(dst, src, id, seq);
    if (!tx) {
      ctx.report('echo-reply-without-request', 'info', [frameNo], sec, nsec,
        `${ctx.ipLabel(src)} -> ${ctx.ipLabel(dst)} echo reply id ${id} seq ${seq} without a request in this capture`,
        { src: ctx.ipLabel(src), dst: ctx.ipLabel(dst) });
      return;
    }
    if (tx.state === 'answered') {
      ctx.report('echo-duplicate-reply', 'warning', [frameNo, tx.replyFrame], sec, nsec,
        `${tx.dstLabel} -> ${tx.srcLabel} echo reply id ${id} seq ${seq} seen again (first in frame ${tx.replyFrame})`,
        { src: tx.dstLabel, dst: tx.srcLabel, requestFrame: tx.requestFrame });
      ctx.touch(tx, frameNo, 'repeat');
      return;
    }
    const late = tx.state === 'unanswered';
    if (late) pair.echoLost--;
    tx.state = 'answered';
    tx.replyFrame = frameNo;
    tx.rttNs = nsBetween(tx.requestSec, tx.requestNsec, sec, nsec);
    pair.rtt.add(tx.rttNs);
    if (late) {
      ctx.report('echo-late-reply', 'warning', [frameNo, tx.requestFrame], sec, nsec,
        `${tx.dstLabel} -> ${tx.srcLabel} echo reply id ${id} seq ${seq} came ${formatMs(tx.rttNs)} after its request (frame ${tx.requestFrame}), past the ${formatMs(this.timeoutMs * 1e6)} timeout`,
        { src: tx.dstLabel, dst: tx.srcLabel, requestFrame: tx.requestFrame, rttNs: tx.rttNs });
    }
    ctx.touch(tx, frameNo, 'reply');
  }

  private error(f: DecodedFrame, frameNo: number, sec: number, nsec: number): void {
    const ctx = this.ctx;
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
    let tx: Transaction | undefined;
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
        if (tx) text += ` (frame ${tx.requestFrame})`;
      }
    } else {
      text += ' (quoted datagram not captured)';
    }
    const severity = type === 3 || type === 11 ? 'error' : 'warning';
    ctx.report(kind, severity, tx ? [frameNo, tx.requestFrame] : [frameNo], sec, nsec, text,
      { src: by, dst: to, requestFrame: tx?.requestFrame });
    if (tx && (tx.state === 'open' || tx.state === 'unanswered')) {
      if (tx.state === 'unanswered') ctx.pairs.get(tx.srcIp, tx.dstIp).echoLost--;
      tx.state = 'error';
      tx.errorFrame = frameNo;
      ctx.pairs.get(tx.srcIp, tx.dstIp).echoErrors++;
      ctx.touch(tx, frameNo, 'error');
    }
  }

  private timedOut(tx: Transaction): void {
    if (tx.state !== 'open') return;
    tx.state = 'unanswered';
    const ctx = this.ctx;
    ctx.pairs.get(tx.srcIp, tx.dstIp).echoLost++;
    ctx.report('echo-unanswered', 'warning', [tx.requestFrame], tx.requestSec, tx.requestNsec,
      `${tx.srcLabel} -> ${tx.dstLabel} echo request id ${tx.identifier} seq ${tx.sequence}: no reply within ${formatMs(this.timeoutMs * 1e6)}`,
      { src: tx.srcLabel, dst: tx.dstLabel, requestFrame: tx.requestFrame });
    ctx.touch(tx, tx.requestFrame, 'request');
  }

}
