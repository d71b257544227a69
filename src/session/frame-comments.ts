import { destinationEndpoint, sourceEndpoint } from '../annotate/frame-names.js';
import { FrameDecoder } from '../decode/decoder.js';
import type { Resolver } from '../model/endpoint.js';
import type { FrameBatch } from '../source/frame-batch.js';

/**
 * `capture -w FILE.pcapng --comments`: each frame's endpoints by name as its packet comment
 * ("web-bridge-1 > web-bridge-2"), so Wireshark shows who talked (frame.comment) without knowing
 * bridgescope. Frames with neither end known get none. Decodes each frame once more: opt-in.
 */
export function nameComments(resolver: Resolver): (batch: FrameBatch) => (i: number) => string | undefined {
  const decoder = new FrameDecoder();
  return (b) => (i) => {
    const f = decoder.decodeFrame(b, i);
    const src = sourceEndpoint(f, resolver, b.tsSec[i]);
    const dst = destinationEndpoint(f, resolver, b.tsSec[i]);
    if (!src && !dst) return undefined;
    return `${src?.label ?? '?'} > ${dst?.label ?? '?'}`;
  };
}
