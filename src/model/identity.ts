import { BridgescopeError } from '../errors.js';
import type { ContainerRef, Endpoint } from './endpoint.js';
import type { ComposeIdentity, ContainerInfo, EndpointInfo } from './topology.js';

/**
 * How a user may name a container, in one place for every stage that matches names (targets,
 * display filter, expectations, summary, the API): its name (with or without Docker's leading
 * "/"), its id or an id prefix of at least MIN_ID_PREFIX hex digits, "project/service" and the
 * bare compose service, a network alias, and the name of any container sharing its network
 * namespace (a sidecar's frames are its host's). The display label ("alpha (+sidecar)") is
 * accepted too, so text copied from the output finds what it came from.
 */
const MIN_ID_PREFIX = 4;

const HEX = /^[0-9a-f]+$/;

const COMPOSE_PROJECT = 'com.docker.compose.project';
const COMPOSE_SERVICE = 'com.docker.compose.service';

/** The compose project and service a container's labels declare, if both are there. */
export function composeOf(labels: Record<string, string> | null | undefined): ComposeIdentity | undefined {
  const project = labels?.[COMPOSE_PROJECT];
  const service = labels?.[COMPOSE_SERVICE];
  return project && service ? { project, service } : undefined;
}

/** "alpha" or "alpha (+sidecar, other)": how a container and its namespace sharers are shown. */
export function displayLabel(name: string, sharedWith: readonly string[]): string {
  return sharedWith.length ? `${name} (+${sharedWith.join(', ')})` : name;
}

const normal = (query: string): string => (query.startsWith('/') ? query.slice(1) : query);

const isIdPrefix = (query: string): boolean => query.length >= MIN_ID_PREFIX && HEX.test(query);

/** Whether `query` names this container by its name, id (prefix) or compose service. */
function refMatches(c: ContainerRef, query: string): boolean {
  const q = normal(query);
  if (c.name === q) return true;
  if (isIdPrefix(q) && c.id.startsWith(q)) return true;
  return c.compose !== undefined && (q === c.compose.service || q === `${c.compose.project}/${c.compose.service}`);
}

/** Whether `query` names this endpoint in any of the forms above ("gateway" names a bridge's own side). */
export function endpointMatches(e: Endpoint, query: string): boolean {
  if (e.label === query) return true;
  if (e.kind === 'gateway') return query === 'gateway';
  if (e.containerId && refMatches({ id: e.containerId, name: e.container ?? '', compose: e.compose }, query)) return true;
  if (e.sharedWith?.some((s) => refMatches(s, query))) return true;
  return e.aliases?.includes(normal(query)) ?? false;
}

export type ContainerLookup =
  | { kind: 'found'; containers: ContainerInfo[] }
  | { kind: 'ambiguous'; candidates: string[] }
  | { kind: 'none' };

/**
 * The containers a query names, Docker's precedence first: a full id or exact name is one
 * container; "project/service" is all its replicas; a bare service is its replicas when one
 * project has it (else ambiguous); a network alias; an id prefix must be unique. A label is
 * accepted last. A sharer is found as itself; namespaceOwners() gives whose interfaces it uses.
 */
export function findContainers(
  query: string,
  containers: readonly ContainerInfo[],
  endpoints: readonly EndpointInfo[] = [],
): ContainerLookup {
  const q = normal(query);
  const exact = containers.find((c) => c.id === q || c.name === q);
  if (exact) return { kind: 'found', containers: [exact] };
  const qualified = containers.filter((c) => c.compose && `${c.compose.project}/${c.compose.service}` === q);
  if (qualified.length) return { kind: 'found', containers: qualified };
  const service = containers.filter((c) => c.compose?.service === q);
  const projects = new Set(service.map((c) => c.compose!.project));
  if (projects.size > 1) return { kind: 'ambiguous', candidates: service.map((c) => `${c.compose!.project}/${q}`).sort() };
  if (service.length) return { kind: 'found', containers: service };
  const aliased = new Set(endpoints.filter((e) => e.aliases?.includes(q)).map((e) => e.containerId));
  if (aliased.size) {
    const byAlias = containers.filter((c) => aliased.has(c.id));
    // Aliases are per network: one alias on two networks can mean two unrelated containers.
    if (byAlias.length > 1) return { kind: 'ambiguous', candidates: byAlias.map((c) => c.name).sort() };
    if (byAlias.length === 1) return { kind: 'found', containers: byAlias };
  }
  if (isIdPrefix(q)) {
    const byPrefix = containers.filter((c) => c.id.startsWith(q));
    if (byPrefix.length > 1) return { kind: 'ambiguous', candidates: byPrefix.map((c) => c.name).sort() };
    if (byPrefix.length === 1) return { kind: 'found', containers: byPrefix };
  }
  const labelled = containers.filter((c) => c.label === query);
  return labelled.length ? { kind: 'found', containers: labelled } : { kind: 'none' };
}

/** The container whose network namespace `c` uses: itself, or the one it joined. */
export function namespaceOwnerId(c: ContainerInfo): string {
  return c.networkMode.kind === 'container' ? c.networkMode.containerId : c.id;
}

/** A container's identity as endpoints carry it: its sharers found among `all`. */
export function containerIdentity(c: ContainerInfo, all: Iterable<ContainerInfo>): ContainerIdentity {
  const sharedWith: ContainerRef[] = [];
  for (const o of all) {
    if (o.networkMode.kind === 'container' && o.networkMode.containerId === c.id && o.state === 'running') sharedWith.push({ id: o.id, name: o.name, compose: o.compose });
  }
  sharedWith.sort((a, b) => a.name.localeCompare(b.name));
  return { id: c.id, name: c.name, compose: c.compose, sharedWith, label: displayLabel(c.name, sharedWith.map((s) => s.name)) };
}

export interface ContainerIdentity extends ContainerRef {
  label: string;
  sharedWith: ContainerRef[];
}

/** Docker's short id: what `docker ps` shows, and a unique-enough prefix to type. */
const shortId = (id: string): string => id.slice(0, 12);

/** Every form a container may be named by, for "did you mean" lists: name, short id, compose, aliases. */
export function nameForms(c: ContainerInfo, endpoints: readonly EndpointInfo[] = []): string[] {
  const forms = [c.name, shortId(c.id)];
  if (c.compose) forms.push(`${c.compose.project}/${c.compose.service}`, c.compose.service);
  for (const e of endpoints) if (e.containerId === c.id) forms.push(...(e.aliases ?? []));
  return [...new Set(forms)];
}

/**
 * The distinct containers whose namespaces `found` use, in order: capturing a sidecar is
 * capturing its owner's interfaces. An owner missing from `all` (removed) is skipped.
 */
export function namespaceOwners(found: readonly ContainerInfo[], all: readonly ContainerInfo[]): ContainerInfo[] {
  const owners = new Map<string, ContainerInfo>();
  for (const c of found) {
    const id = namespaceOwnerId(c);
    const owner = id === c.id ? c : all.find((o) => o.id === id);
    if (owner) owners.set(owner.id, owner);
  }
  return [...owners.values()];
}

/** A name that fits several containers where one was needed: the user must pick. */
export class AmbiguousNameError extends BridgescopeError {
  constructor(
    readonly query: string,
    readonly candidates: readonly string[],
  ) {
    super('BS_AMBIGUOUS_NAME', `${query} names several containers: ${candidates.join(', ')}; name one of them`);
  }
}

/**
 * What makes two endpoints one for counting (summary pairs, the conversations view): the
 * container whose namespace they are, so a sidecar and its owner, or one container on two
 * networks, are one; `fallback` (the label or the address) for anything else.
 */
export function identityKey(e: Endpoint | undefined, fallback: string): string {
  return e?.containerId ? `id:${e.containerId}` : `label:${fallback}`;
}
