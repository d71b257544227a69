import type { Resolver } from '../../model/endpoint.js';
import { Analyzer, type FrameAnnotation } from '../../analyze/index.js';
import type { DecodedFrame } from '../../decode/index.js';
import type { AnalysisFeed, FrameMark, PairAnalysis } from './analysis-feed.js';
import { msDigits } from '../../duration.js';

/** Findings remembered per frame for row marks; older ones are forgotten first. */
const FLAGGED_LIMIT = 65_536;

function ms(ns: number | undefined): number | undefined {
  return ns === undefined ? undefined : ns / 1e6;
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
      return analyzer.pairs().map((p) => ({
        a: p.a, b: p.b,
        arpRequests: p.arp.requests, arpReplies: p.arp.replies, echoRequests: p.icmp.requests, echoReplies: p.icmp.replies,
        rttMinMs: ms(p.icmp.rtt.minNs), rttAvgMs: ms(p.icmp.rtt.avgNs), rttMaxMs: ms(p.icmp.rtt.maxNs),
        unanswered: p.arp.unanswered + p.icmp.lost,
      }));
    },
  };
}
