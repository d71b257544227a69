import type { DecodedFrame } from '../../decode/index.js';

/**
 * What the UI needs from the analyzer (src/analyze), kept to an interface so the store does not
 * depend on how matching works. The store calls `onFrame` for every frame it receives, in order,
 * with its ring index; the decoded frame is valid only during the call.
 */
export interface AnalysisFeed {
  onFrame(f: DecodedFrame, index: number, tsSec: number, tsNsec: number): void;
  /** A request still unanswered, or a frame an expert check flagged. */
  markOf(index: number): FrameMark | undefined;
  /** One line for the detail pane: the pair this frame belongs to and its RTT. */
  pairLineOf(index: number): string | undefined;
  /** Per container pair, as `summary` counts it (analyze/pair-summary.ts), for the conversations view. */
  pairs(): readonly PairAnalysis[];
}

export type FrameMark = 'unanswered' | 'flagged';

export interface PairAnalysis {
  /** Endpoint labels (or addresses), in either order. */
  a: string;
  b: string;
  arpRequests: number;
  arpReplies: number;
  echoRequests: number;
  echoReplies: number;
  /** Neighbor Discovery and ICMPv6 echo, 0 for a pair that spoke no IPv6. */
  ndpRequests: number;
  ndpReplies: number;
  echo6Requests: number;
  echo6Replies: number;
  /** Echo RTT over both families' samples. */
  rttMinMs?: number;
  rttAvgMs?: number;
  rttMaxMs?: number;
  /** ARP and NDP requests never answered, echo requests (either family) lost. */
  unanswered: number;
}
