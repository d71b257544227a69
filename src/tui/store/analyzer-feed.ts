import type { Resolver } from '../../model/endpoint.js';
import { Analyzer, type FrameAnnotation, type RttSummary } from '../../analyze/index.js';
import type { DecodedFrame } from '../../decode/index.js';
import type { AnalysisFeed, FrameMark, PairAnalysis } from './analysis-feed.js';
import { msDigits } from '../../duration.js';

/** Findings remembered per frame for row marks; older ones are forgotten first. */
const FLAGGED_LIMIT = 65_536;

function ms(ns: number | undefined): number | undefined {
  return ns === undefined ? undefined : ns / 1e6;
}

/** One pair's echo RTT over IPv4 and ICMPv6 samples together (min, count-weighted mean, max). */
function bothRtt(v4: RttSummary, v6: RttSummary | undefined): Pick<RttSummary, 'minNs' | 'avgNs' | 'maxNs'> {
  if (!v6 || v6.count === 0) return v4;
  if (v4.count === 0) return v6;
  return {
    minNs: Math.min(v4.minNs!, v6.minNs!),
    avgNs: (v4.avgNs! * v4.count + v6.avgNs! * v6.count) / (v4.count + v6.count),
    maxNs: Math.max(v4.maxNs!, v6.maxNs!),
  };
}

/** "pair: echo web-bridge-1 > web-bridge-2 seq 1, reply frame 4, RTT 0.066 ms" (short: it shares a line). */
function pairLine(a: FrameAnnotation): string {
  const tx = a.transaction;
  const what = tx.kind === 'arp' ? `ARP ${tx.srcLabel} > ${tx.dstLabel}` : `echo ${tx.srcLabel} > ${tx.dstLabel} seq ${tx.sequence}`;
  const request = a.role === 'request' ? '' : `, request frame ${tx.requestFrame}`;
  let state: string;
  if (tx.state === 'answered') state = `reply frame ${tx.replyFrame}, RTT ${msDigits(tx.rttNs)} ms`;
  else if (tx.state === 'error') state = `ICMP error in frame ${tx.errorFrame}`;
  else state = tx.state;
  return `pair: ${what}${request}, ${state}`;
}

/**
 * The analyzer (src/analyze) as the store's AnalysisFeed. Frame numbers are ring index + 1, the
 * 1-based numbers the list shows. The analyzer keeps annotations for as many frames as the ring
 * holds, so every row on screen can show its pair.
 */
export function analyzerFeed(resolver: Resolver, frames: number): AnalysisFeed {
  const flagged = new Map<number, true>();
  const analyzer = new Analyzer({
    resolver,
    annotateFrames: frames,
    onFinding: (finding) => {
      if (finding.severity === 'info') return;
      for (const n of finding.frames) {
        flagged.set(n, true);
        if (flagged.size > FLAGGED_LIMIT) flagged.delete(flagged.keys().next().value as number);
      }
    },
  });
  return {
    onFrame(f: DecodedFrame, index: number, tsSec: number, tsNsec: number): void {
      analyzer.observe(f, index + 1, tsSec, tsNsec);
    },
    markOf(index: number): FrameMark | undefined {
      const a = analyzer.annotation(index + 1);
      if (a?.role === 'request' && a.transaction.state === 'unanswered') return 'unanswered';
      return flagged.has(index + 1) ? 'flagged' : undefined;
    },
    pairLineOf(index: number): string | undefined {
      const a = analyzer.annotation(index + 1);
      return a ? pairLine(a) : undefined;
    },
    pairs(): PairAnalysis[] {
      return analyzer.pairs().map((p) => {
        const rtt = bothRtt(p.icmp.rtt, p.icmp6?.rtt);
        return {
          a: p.a, b: p.b,
          arpRequests: p.arp.requests, arpReplies: p.arp.replies, echoRequests: p.icmp.requests, echoReplies: p.icmp.replies,
          ndpRequests: p.ndp?.requests ?? 0, ndpReplies: p.ndp?.replies ?? 0, echo6Requests: p.icmp6?.requests ?? 0, echo6Replies: p.icmp6?.replies ?? 0,
          rttMinMs: ms(rtt.minNs), rttAvgMs: ms(rtt.avgNs), rttMaxMs: ms(rtt.maxNs),
          unanswered: p.arp.unanswered + p.icmp.lost + (p.ndp?.unanswered ?? 0) + (p.icmp6?.lost ?? 0),
        };
      });
    },
  };
}
