import type { CustomBlock, CustomOption, NameRecord } from '../pcap/capture-meta.js';
import type { Topology } from '../model/topology.js';
import { parseJsonText, parseSnapshot, SnapshotError, type TimedSnapshot } from './snapshot.js';
import { GATEWAY_LABEL } from './topology-resolver.js';

/**
 * How topology snapshots travel inside a pcapng we write. Each snapshot is one Name Resolution
 * Block: its records name every container's IPv4 address (so tshark and Wireshark show the names
 * too), and its custom options (code 2989, binary, may be copied) carry the whole snapshot. NRBs
 * may stand anywhere in a section and tshark does not count them as frames, so a snapshot can be
 * written the moment the topology changes, before the frames that follow it, and frame numbers
 * agree with Wireshark's. (The first format, a Custom Block, was listed by tshark as a frame.)
 *
 * The option's PEN is 32473, IANA's number for documentation (RFC 5612): bridgescope has no
 * Private Enterprise Number of its own, and using someone else's would be worse. Because other
 * files use 32473 too, the PEN is not what makes an option ours: its value starts with the magic
 * `bridgescope/topology` and a format byte, then a piece of the payload. Pieces of one NRB's
 * options join into UTF-8 JSON `{"at": epoch seconds, "topology": {...}}` (an option holds at most
 * 64 KiB, a busy host's snapshot more). A newer format byte is a snapshot this reader cannot read,
 * which it says, rather than guessing.
 */
export const SNAPSHOT_PEN = 32473;
export const SNAPSHOT_MAGIC = 'bridgescope/topology';
/** Format of the option payload (not the topology's own version, which the JSON carries). */
export const SNAPSHOT_FORMAT = 1;

const MAGIC = new TextEncoder().encode(SNAPSHOT_MAGIC);
const HEADER = MAGIC.length + 1;
/** Option values are at most 65535 bytes, of which the PEN takes 4. */
const PIECE = 65_535 - 4 - HEADER;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The custom options of one snapshot's NRB. */
export function snapshotOptions(snapshot: TimedSnapshot): CustomOption[] {
  const json = new TextEncoder().encode(JSON.stringify({ at: snapshot.at, topology: snapshot.topology }));
  const options: CustomOption[] = [];
  for (let from = 0; from < json.length || options.length === 0; from += PIECE) {
    const piece = json.subarray(from, from + PIECE);
    const data = new Uint8Array(HEADER + piece.length);
    data.set(MAGIC, 0);
    data[MAGIC.length] = SNAPSHOT_FORMAT;
    data.set(piece, HEADER);
    options.push({ pen: SNAPSHOT_PEN, data, copyable: true });
  }
  return options;
}

const isOurs = (o: CustomOption) => o.data.length >= HEADER && MAGIC.every((b, i) => o.data[i] === b);

/**
 * The snapshot one NRB's custom options carry: undefined when none is addressed to us (no option
 * with our PEN); a SnapshotError when one is, but is foreign, damaged or of a newer format.
 */
export function snapshotFromOptions(options: readonly CustomOption[], file: string): TimedSnapshot | undefined {
  const withPen = options.filter((o) => o.pen === SNAPSHOT_PEN);
  if (withPen.length === 0) return undefined;
  const ours = withPen.filter(isOurs);
  if (ours.length === 0) throw new SnapshotError('BS_SNAPSHOT_FOREIGN', file, `a name resolution block carries PEN ${SNAPSHOT_PEN} data that is not a bridgescope snapshot`);
  const format = ours[0].data[MAGIC.length];
  if (format !== SNAPSHOT_FORMAT) {
    throw new SnapshotError('BS_SNAPSHOT_VERSION', file, `embedded snapshot format ${format} is newer than this bridgescope reads (${SNAPSHOT_FORMAT}); names from it are skipped`);
  }
  const bytes = concat(ours.map((o) => o.data.subarray(HEADER)));
  const json = parseJsonText(decodeUtf8(bytes, file), file) as { at?: unknown; topology?: unknown } | null;
  const at = typeof json === 'object' && json !== null ? json.at : undefined;
  if (typeof at !== 'number' || !Number.isFinite(at)) throw new SnapshotError('BS_SNAPSHOT_INVALID', file, 'embedded snapshot field at: expected epoch seconds');
  return { at, topology: parseSnapshot(json!.topology, file, 'topology') };
}

/**
 * The first format: a Custom Block with PEN 32473 holding the topology JSON, written before the
 * first frame. Ours only if it reads as our snapshot; anyone else's 32473 block is an error here.
 */
export function snapshotFromCustomBlock(block: CustomBlock, file: string): TimedSnapshot | undefined {
  if (block.pen !== SNAPSHOT_PEN) return undefined;
  let end = block.data.length;
  while (end > 0 && block.data[end - 1] === 0) end--;
  try {
    const json = parseJsonText(decodeUtf8(block.data.subarray(0, end), file), file);
    return { at: -Infinity, topology: parseSnapshot(json, file) };
  } catch (err) {
    if (!(err instanceof SnapshotError)) throw err;
    throw new SnapshotError(err.code, file, `a custom block with PEN ${SNAPSHOT_PEN} is not a bridgescope snapshot (${err.detail})`, { cause: err });
  }
}

function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return utf8.decode(bytes);
  } catch (err) {
    throw new SnapshotError('BS_SNAPSHOT_INVALID', file, 'embedded topology snapshot is not UTF-8', { cause: err });
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** NRB entries: each container's IPv4 -> its name, each Docker bridge gateway -> "gateway (host)". */
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
