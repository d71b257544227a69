import { FrameDecoder } from '../decode/index.js';
import type { CaptureSource, OwnedFrame } from '../source/frame-batch.js';
import { Analyzer, type AnalysisReport, type AnalyzerOptions, type FinishOptions } from './analyzer.js';

/** No `annotateFrames`: nothing can ask an analysis run to its end for a frame's transaction. */
export interface AnalyzeSourceOptions extends Omit<AnalyzerOptions, 'annotateFrames'>, FinishOptions {
  /** Pass each frame's interface index to the analyzer (see Analyzer.observe). Default false. */
  ports?: boolean;
}

/**
 * Decode + analysis over a whole source, frames numbered from 1 in delivery order. Also the
 * benchmark hook: its cost minus a bare decode loop is the price of analysis.
 */
export async function analyzeSource(source: CaptureSource, opts: AnalyzeSourceOptions = {}): Promise<AnalysisReport> {
  const decoder = new FrameDecoder();
  const analyzer = new Analyzer({ ...opts, annotateFrames: 0 });
  const ports = opts.ports ?? false;
  let n = 0;
  for await (const b of source) {
    for (let i = 0; i < b.count; i++) {
      const f = decoder.decodeFrame(b, i);
      analyzer.observe(f, ++n, b.tsSec[i], b.tsNsec[i], ports ? b.ifIndex[i] : undefined);
    }
  }
  return analyzer.finish(opts);
}

/** The same over frames already in memory (tests, a UI's kept frames), numbered from 1. */
export function analyzeFrames(frames: readonly OwnedFrame[], opts: AnalyzeSourceOptions = {}): AnalysisReport {
  const decoder = new FrameDecoder();
  const analyzer = new Analyzer({ ...opts, annotateFrames: 0 });
  const ports = opts.ports ?? false;
  for (let i = 0; i < frames.length; i++) {
    const fr = frames[i];
    analyzer.observe(decoder.decode(fr.bytes, fr.linkType, fr.origLen), i + 1, fr.tsSec, fr.tsNsec, ports ? fr.ifIndex : undefined);
  }
  return analyzer.finish(opts);
}
