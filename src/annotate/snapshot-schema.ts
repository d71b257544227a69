import { z } from 'zod';
import { ipv6ToBytes } from './address.js';

/**
 * The snapshot format (model/topology.ts) as a zod schema: every field a reader uses is checked,
 * so a file, a pipe or a hand-edited JSON can only hand the resolver addresses it can parse and
 * lists that are lists. Unknown fields pass through untouched: a newer writer of the same version
 * may add fields, and a reader must not drop them when it writes the snapshot out again.
 */

/** What address.ts macToNumber accepts: six 1-2 digit hex groups, `:` or `-` between. */
const MAC = /^[0-9a-fA-F]{1,2}([:-][0-9a-fA-F]{1,2}){5}$/;

/** A dotted quad without leading zeros (node:net's isIPv4 rule), so loading a snapshot does not load node:net. */
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)$/;

const mac = z.string().regex(MAC, 'not a MAC address');
const ipv4 = z.string().regex(IPV4, 'not an IPv4 address');
const cidr4 = z.string().refine((s) => {
  const [ip, len, ...rest] = s.split('/');
  return rest.length === 0 && IPV4.test(ip) && (len === undefined || (/^\d{1,2}$/.test(len) && Number(len) <= 32));
}, 'not an IPv4 address or prefix');
/** What address.ts ipv6ToBytes accepts (the resolver interns these). */
const ipv6 = z.string().refine((s) => {
  try {
    ipv6ToBytes(s);
    return true;
  } catch {
    return false;
  }
}, 'not an IPv6 address');
const cidr6 = z.string().refine((s) => {
  const [ip, len, ...rest] = s.split('/');
  return rest.length === 0 && ipv6.safeParse(ip).success && (len === undefined || (/^\d{1,3}$/.test(len) && Number(len) <= 128));
}, 'not an IPv6 address or prefix');
const ifindex = z.number().int().nonnegative();
const text = z.string();

const hostInterface = z.object({
  name: text,
  ifindex,
  mac: mac.optional(),
  kind: text.optional(),
  master: text.optional(),
  peerIfIndex: ifindex.optional(),
  ipv4: z.array(cidr4),
  up: z.boolean(),
}).passthrough();

const learnedMac = z.object({ mac, container: text.optional() }).passthrough();

const bridgePort = z.object({
  name: text,
  ifindex,
  mac: mac.optional(),
  container: text.optional(),
  learned: z.array(learnedMac),
}).passthrough();

const bridge = z.object({
  name: text,
  ifindex,
  mac: mac.optional(),
  ipv4: z.array(cidr4),
  network: text.optional(),
  ports: z.array(bridgePort),
}).passthrough();

const network = z.object({
  id: text,
  name: text,
  driver: text,
  subnet: cidr4.optional(),
  gateway: ipv4.optional(),
  subnet6: cidr6.optional(),
  gateway6: ipv6.optional(),
  bridge: text.optional(),
}).passthrough();

const networkMode = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('bridge') }).passthrough(),
  z.object({ kind: z.literal('host') }).passthrough(),
  z.object({ kind: z.literal('none') }).passthrough(),
  z.object({ kind: z.literal('container'), container: text, containerId: text }).passthrough(),
]);

const container = z.object({
  id: text,
  name: text,
  label: text,
  image: text,
  state: text,
  pid: z.number().int().optional(),
  networkMode,
  sharedWith: z.array(text),
  compose: z.object({ project: text, service: text }).passthrough().optional(),
}).passthrough();

const endpoint = z.object({
  containerId: text,
  container: text,
  network: text,
  networkId: text,
  bridge: text.optional(),
  ifname: text.optional(),
  mac: mac.optional(),
  ipv4: ipv4.optional(),
  prefixLen: z.number().int().min(0).max(32).optional(),
  ipv6: z.array(ipv6).optional(),
  aliases: z.array(text).optional(),
  hostVeth: text.optional(),
  hostIfIndex: ifindex.optional(),
}).passthrough();

const route = z.object({ dst: text, dev: text.optional(), gateway: ipv4.optional(), prefsrc: ipv4.optional() }).passthrough();
const route6 = z.object({ dst: text, dev: text.optional(), gateway: ipv6.optional(), prefsrc: ipv6.optional() }).passthrough();

/** A snapshot of any readable version; the version itself is checked (and upgraded) by snapshot.ts. */
export const topologySchema = z.object({
  version: z.number(),
  capturedAt: text,
  hostname: text.optional(),
  dockerVersion: text.optional(),
  interfaces: z.array(hostInterface),
  bridges: z.array(bridge),
  networks: z.array(network),
  containers: z.array(container),
  endpoints: z.array(endpoint),
  routes: z.array(route),
  routes6: z.array(route6).optional(),
}).passthrough();

/**
 * The first problem zod found, as `field path: what` ("endpoints[3].mac: not a MAC address").
 * Only the path and zod's own words are shown, never the offending value: it came from a file.
 */
export function firstIssue(error: z.ZodError, prefix = ''): string {
  const issue = error.issues[0];
  const path = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 && !prefix ? p : `.${p}`)).join('');
  return `${prefix}${path}` ? `${prefix}${path}: ${issue.message}` : issue.message;
}
