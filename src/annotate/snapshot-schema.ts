import * as v from 'valibot';
import { ipv6ToBytes } from './address.js';

/**
 * The snapshot format (model/topology.ts) as a valibot schema: every field a reader uses is
 * checked, so a file, a pipe or a hand-edited JSON can only hand the resolver addresses it can
 * parse and lists that are lists. Unknown fields pass through untouched (loose objects): a newer
 * writer of the same version may add fields, and a reader must not drop them when it writes the
 * snapshot out again.
 */

/** What address.ts macToNumber accepts: six 1-2 digit hex groups, `:` or `-` between. */
const MAC = /^[0-9a-fA-F]{1,2}([:-][0-9a-fA-F]{1,2}){5}$/;

/** A dotted quad without leading zeros (node:net's isIPv4 rule), so loading a snapshot does not load node:net. */
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]\d|\d)$/;

function isIpv6(s: string): boolean {
  try {
    ipv6ToBytes(s);
    return true;
  } catch {
    return false;
  }
}

/** `ip` or `ip/len`, len at most `maxLen` and written in no more digits than it (`/032` is refused). */
function isCidr(s: string, isIp: (ip: string) => boolean, maxLen: number): boolean {
  const [ip, len, ...rest] = s.split('/');
  const digits = String(maxLen).length;
  return rest.length === 0 && isIp(ip) && (len === undefined || (/^\d+$/.test(len) && len.length <= digits && Number(len) <= maxLen));
}

const text = v.string();
const mac = v.pipe(v.string(), v.regex(MAC, 'not a MAC address'));
const ipv4 = v.pipe(v.string(), v.regex(IPV4, 'not an IPv4 address'));
const cidr4 = v.pipe(v.string(), v.check((s) => isCidr(s, (ip) => IPV4.test(ip), 32), 'not an IPv4 address or prefix'));
/** What address.ts ipv6ToBytes accepts (the resolver interns these). */
const ipv6 = v.pipe(v.string(), v.check(isIpv6, 'not an IPv6 address'));
const cidr6 = v.pipe(v.string(), v.check((s) => isCidr(s, isIpv6, 128), 'not an IPv6 address or prefix'));
const integer = v.pipe(v.number(), v.integer('Expected integer, received float'));
const ifindex = v.pipe(integer, v.minValue(0, 'Number must be greater than or equal to 0'));
const optional = v.optional;

/** valibot's objects also take arrays; a snapshot's objects are JSON objects. */
const jsonObject = v.custom<Record<string, unknown>>((x) => typeof x === 'object' && x !== null && !Array.isArray(x));

/** A JSON object with these fields, keeping the keys it does not know. */
function record<E extends v.ObjectEntries>(entries: E) {
  return v.pipe(jsonObject, v.looseObject(entries));
}

const hostInterface = record({
  name: text,
  ifindex,
  mac: optional(mac),
  kind: optional(text),
  master: optional(text),
  peerIfIndex: optional(ifindex),
  ipv4: v.array(cidr4),
  up: v.boolean(),
});

const learnedMac = record({ mac, container: optional(text) });

const bridgePort = record({
  name: text,
  ifindex,
  mac: optional(mac),
  container: optional(text),
  learned: v.array(learnedMac),
});

const bridge = record({
  name: text,
  ifindex,
  mac: optional(mac),
  ipv4: v.array(cidr4),
  network: optional(text),
  ports: v.array(bridgePort),
});

const network = record({
  id: text,
  name: text,
  driver: text,
  subnet: optional(cidr4),
  gateway: optional(ipv4),
  subnet6: optional(cidr6),
  gateway6: optional(ipv6),
  bridge: optional(text),
});

const networkMode = v.pipe(jsonObject, v.variant('kind', [
  v.looseObject({ kind: v.literal('bridge') }),
  v.looseObject({ kind: v.literal('host') }),
  v.looseObject({ kind: v.literal('none') }),
  v.looseObject({ kind: v.literal('container'), container: text, containerId: text }),
]));

const container = record({
  id: text,
  name: text,
  label: text,
  image: text,
  state: text,
  pid: optional(integer),
  networkMode,
  sharedWith: v.array(text),
  compose: optional(record({ project: text, service: text })),
});

const endpoint = record({
  containerId: text,
  container: text,
  network: text,
  networkId: text,
  bridge: optional(text),
  ifname: optional(text),
  mac: optional(mac),
  ipv4: optional(ipv4),
  prefixLen: optional(v.pipe(integer, v.minValue(0, 'Number must be greater than or equal to 0'), v.maxValue(32, 'Number must be less than or equal to 32'))),
  ipv6: optional(v.array(ipv6)),
  aliases: optional(v.array(text)),
  hostVeth: optional(text),
  hostIfIndex: optional(ifindex),
});

const route = record({ dst: text, dev: optional(text), gateway: optional(ipv4), prefsrc: optional(ipv4) });
const route6 = record({ dst: text, dev: optional(text), gateway: optional(ipv6), prefsrc: optional(ipv6) });

/** A snapshot of any readable version; the version itself is checked (and upgraded) by snapshot.ts. */
export const topologySchema = record({
  version: v.number(),
  capturedAt: text,
  hostname: optional(text),
  dockerVersion: optional(text),
  interfaces: v.array(hostInterface),
  bridges: v.array(bridge),
  networks: v.array(network),
  containers: v.array(container),
  endpoints: v.array(endpoint),
  routes: v.array(route),
  routes6: optional(v.array(route6)),
});

type Issue = v.InferIssue<typeof topologySchema>;

/** What a value is, in the words of the messages below (never the value itself). */
function typeName(x: unknown): string {
  return x === null ? 'null' : Array.isArray(x) ? 'array' : Number.isNaN(x) ? 'nan' : typeof x;
}

/** valibot's `("bridge" | "host")` as `'bridge' | 'host'`: the schema's own literals, not input. */
function discriminators(expected: string | null): string {
  return (expected ?? '').replace(/^\(|\)$/g, '').replaceAll('"', "'");
}

/**
 * The first problem found, as `field path: what` ("endpoints[3].mac: not a MAC address"). Only the
 * path and the schema's own words are shown, never the offending value: it came from a file.
 */
export function firstIssue(issues: readonly [Issue, ...Issue[]], prefix = ''): string {
  const issue = issues[0];
  const keys = (issue.path ?? []).map((p) => p.key);
  const path = keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 && !prefix ? String(k) : `.${String(k)}`)).join('');
  const what = issue.kind !== 'schema' ? issue.message
    : issue.type === 'variant' ? `Invalid discriminator value. Expected ${discriminators(issue.expected)}`
    : issue.input === undefined ? 'Required'
    : `Expected ${issue.type === 'custom' ? 'object' : issue.type}, received ${typeName(issue.input)}`;
  return `${prefix}${path}` ? `${prefix}${path}: ${what}` : what;
}
