import type { CaptureInterface } from '../source/frame-batch.js';
import type { CustomBlock, NameRecord } from '../pcap/capture-meta.js';
import { openCaptureFile } from '../pcap/open.js';
import { PcapngWriter } from '../pcap/pcapng-writer.js';
import { parseSnapshot, SnapshotError } from './snapshot.js';
import { GATEWAY_LABEL } from './topology-resolver.js';
import type { Topology } from '../model/topology.js';

/**
 * How a topology snapshot travels inside a pcapng written by us: a copiable Custom Block (type
 * 0x00000BAD) whose Private Enterprise Number is 32473, IANA's PEN for documentation and examples
 * (RFC 5612), holding the snapshot as UTF-8 JSON (zero-padded to 4 bytes by the writer). Beside
 * it, an NRB names each container's IPv4 address, so tools that know nothing of bridgescope
 * (tshark, Wireshark) show the names too.
 */
export const SNAPSHOT_PEN = 32473;

export function encodeSnapshot(t: Topology): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(t));
}

/** Puts `topology` into a pcapng being written: the custom block, then the NRB of its names. */
export function writeSnapshotBlocks(writer: PcapngWriter, topology: Topology): void {
  writer.addCustomBlock(SNAPSHOT_PEN, encodeSnapshot(topology));
  writer.addNameRecords(snapshotNameRecords(topology));
}

/** The snapshot a pcapng carries, or undefined when it has none. */
export function snapshotFromCustomBlocks(blocks: readonly CustomBlock[], file = 'capture'): Topology | undefined {
  const block = blocks.find((b) => b.pen === SNAPSHOT_PEN);
  if (!block) return undefined;
  let end = block.data.length;
  while (end > 0 && block.data[end - 1] === 0) end--;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(block.data.subarray(0, end)));
  } catch (err) {
    throw new SnapshotError('BS_SNAPSHOT_INVALID', file, `embedded topology snapshot is not valid JSON (${(err as Error).message})`);
  }
  return parseSnapshot(json, file);
}

/** NRB entries: each container's IPv4 -> its label, each Docker bridge gateway -> "gateway (host)". */
export function snapshotNameRecords(t: Topology): NameRecord[] {
  const records: NameRecord[] = t.endpoints.filter((e) => e.ipv4).map((e) => ({ ip: e.ipv4!, names: [e.container] }));
  for (const n of t.networks) if (n.gateway && n.bridge) records.push({ ip: n.gateway, names: [`${GATEWAY_LABEL} ${n.bridge}`] });
  return records;
}

/** if_description for a capture on `iface`: "br-… (docker network br_xx)", a veth's container, or none. */
export function describeInterface(t: Topology, iface: string): string | undefined {
  const net = t.networks.find((n) => n.bridge === iface);
  if (net) return `${iface} (docker network ${net.name})`;
  const ep = t.endpoints.find((e) => e.hostVeth === iface);
  return ep ? `${iface} (veth of ${ep.container} on ${ep.network})` : undefined;
}

/**
 * Rewrites a capture taken on host interface `iface` as pcapng with `topology` embedded (custom
 * block, NRB, interface name and description). Frames and timestamps are copied unchanged.
 */
export async function embedSnapshot(inPath: string, outPath: string, iface: string, topology: Topology): Promise<number> {
  const writer = new PcapngWriter(outPath, { comment: `bridgescope topology snapshot of ${topology.capturedAt}` });
  writeSnapshotBlocks(writer, topology);
  const description = describeInterface(topology, iface);
  let frames = 0;
  for await (const batch of openCaptureFile(inPath)) {
    const interfaces: CaptureInterface[] = batch.interfaces.map((i) => ({ ...i, name: iface, description }));
    writer.writeBatch({ ...batch, interfaces });
    frames += batch.count;
  }
  writer.close();
  return frames;
}
