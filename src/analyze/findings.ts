/**
 * What the analyzer reports, as plain data (JSON-serialisable) so the TUI, the text summary,
 * NDJSON and tests all read the same thing. Frame numbers are the 1-based numbers the caller
 * passed to `Analyzer.observe` (tshark's frame.number when fed in file order).
 */
export type FindingKind =
  | 'arp-unanswered'
  | 'arp-unsolicited-reply'
  | 'arp-gratuitous'
  | 'arp-probe'
  | 'arp-duplicate-ip'
  | 'arp-storm'
  | 'mac-moved'
  | 'echo-unanswered'
  | 'echo-late-reply'
  | 'echo-reply-without-request'
  | 'echo-duplicate-request'
  | 'echo-duplicate-reply'
  | 'icmp-unreachable'
  | 'icmp-time-exceeded'
  | 'icmp-error'
  | 'ndp-unanswered'
  | 'ndp-dad-probe'
  | 'ndp-duplicate-address'
  | 'ndp-unsolicited-advert'
  | 'echo6-unanswered'
  | 'echo6-late-reply'
  | 'echo6-reply-without-request'
  | 'icmp6-unreachable'
  | 'icmp6-too-big'
  | 'icmp6-time-exceeded'
  | 'icmp6-error';

export type Severity = 'info' | 'warning' | 'error';

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /** Frames that make the finding, the triggering frame first (the request, for unanswered ones). */
  frames: number[];
  /** Time of the first frame in `frames`. */
  tsSec: number;
  tsNsec: number;
  /** One line with container names where known ("web-bridge-1 asked who-has 172.30.0.99: no reply in 1000 ms"). */
  text: string;
  /** Display labels of the endpoints involved (container name, or the address). */
  src?: string;
  dst?: string;
  /** The original echo request an ICMP error quotes, or that a late reply answers. */
  requestFrame?: number;
  rttNs?: number;
}

/** ndp and echo6 are IPv6: their srcIp/dstIp are the analysis's IPv6 address keys, not IPv4 numbers. */
export type TransactionKind = 'arp' | 'echo' | 'ndp' | 'echo6';

/**
 * open: request seen, no answer yet. answered: reply seen (rttNs set). unanswered: the timeout
 * passed on the frame clock. error: an ICMP error quoting the request came back instead.
 * A late reply turns an unanswered transaction into answered (and a finding says it was late).
 */
export type TransactionState = 'open' | 'answered' | 'unanswered' | 'error';

/**
 * One request and what became of it. Addresses are kept as wire numbers; labels are filled in
 * when the transaction opens. The analyzer mutates the object as its state changes and hands the
 * same object to `onTransaction` each time: copy what you keep if you need snapshots.
 */
export interface Transaction {
  id: number;
  kind: TransactionKind;
  state: TransactionState;
  /** Requester and target IPv4 as unsigned 32-bit numbers (ARP: sender and target protocol address). */
  srcIp: number;
  dstIp: number;
  srcLabel: string;
  dstLabel: string;
  /** Echo only: identifier and sequence number; -1 for ARP. */
  identifier: number;
  sequence: number;
  requestFrame: number;
  requestSec: number;
  requestNsec: number;
  /** Requests seen for the same question while it was open (ARP retries, duplicated echo requests). */
  repeats: number;
  replyFrame: number;
  /** Reply minus request time in nanoseconds (exact), -1 until answered. */
  rttNs: number;
  /** ARP: the MAC the reply gave, as a 48-bit number; -1 otherwise. */
  answerMac: number;
  /** Frame of the ICMP error that answered the request instead of a reply, -1 otherwise. */
  errorFrame: number;
}

/** Role of a frame in its transaction, for the UI's per-frame annotations. */
export type FrameRole = 'request' | 'reply' | 'repeat' | 'error';

export interface FrameAnnotation {
  transaction: Transaction;
  role: FrameRole;
}
