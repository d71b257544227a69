import { describe, expect, it } from 'vitest';
import type { Endpoint } from '../../src/model/endpoint.js';
import {
  AmbiguousNameError,
  composeOf,
  containerIdentity,
  displayLabel,
  endpointMatches,
  findContainers,
  identityKey,
  nameForms,
  namespaceOwners,
} from '../../src/model/identity.js';
import type { ContainerInfo, EndpointInfo } from '../../src/model/topology.js';

const WEB_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
const WEB2_ID = 'a1b29999e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
const DB_ID = 'dbdbdbdb11223344556677889900aabbccddeeff00112233445566778899aabb';
const SIDE_ID = '5151515151515151515151515151515151515151515151515151515151515151';
const OTHER_WEB_ID = '0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e0e';

function container(id: string, name: string, extra: Partial<ContainerInfo> = {}): ContainerInfo {
  return { id, name, label: name, image: 'busybox', state: 'running', networkMode: { kind: 'bridge' }, sharedWith: [], ...extra };
}

const web = container(WEB_ID, 'alpha-web', { compose: { project: 'shop', service: 'web' }, sharedWith: ['delta-sidecar'], label: 'alpha-web (+delta-sidecar)' });
const web2 = container(WEB2_ID, 'alpha-web-2', { compose: { project: 'shop', service: 'web' } });
const db = container(DB_ID, 'beta-db');
const side = container(SIDE_ID, 'delta-sidecar', { networkMode: { kind: 'container', container: 'alpha-web', containerId: WEB_ID } });
const endpoints: EndpointInfo[] = [
  { containerId: DB_ID, container: 'beta-db', network: 'bs-shop', networkId: 'n1', aliases: ['database'] },
  { containerId: DB_ID, container: 'beta-db', network: 'bs-admin', networkId: 'n2', aliases: ['database', 'admin-db'] },
  { containerId: WEB_ID, container: 'alpha-web', network: 'bs-shop', networkId: 'n1', aliases: ['web'] },
];
const all = [web, db, side];

const found = (q: string, cs: ContainerInfo[] = all) => {
  const r = findContainers(q, cs, endpoints);
  return r.kind === 'found' ? r.containers.map((c) => c.name) : r.kind === 'ambiguous' ? { ambiguous: r.candidates } : 'none';
};

describe('findContainers', () => {
  it('finds a container by name, /name, full id, id prefix of 4+ hex, compose service and project/service, alias, label', () => {
    expect(found('alpha-web')).toEqual(['alpha-web']);
    expect(found('/alpha-web')).toEqual(['alpha-web']);
    expect(found(WEB_ID)).toEqual(['alpha-web']);
    expect(found('a1b2')).toEqual(['alpha-web']);
    expect(found('shop/web')).toEqual(['alpha-web']);
    expect(found('web')).toEqual(['alpha-web']);
    expect(found('database')).toEqual(['beta-db']);
    expect(found('admin-db')).toEqual(['beta-db']);
    expect(found('alpha-web (+delta-sidecar)')).toEqual(['alpha-web']);
    expect(found('delta-sidecar')).toEqual(['delta-sidecar']);
  });

  it('refuses what is not a name: a 3-digit id prefix, a label fragment, a stranger', () => {
    expect(found('a1b')).toBe('none');
    expect(found('alpha')).toBe('none');
    expect(found('gamma')).toBe('none');
  });

  it('a compose service with replicas is all of them; a prefix shared by two is ambiguous', () => {
    const cs = [...all, web2];
    expect(found('shop/web', cs)).toEqual(['alpha-web', 'alpha-web-2']);
    expect(found('web', cs)).toEqual(['alpha-web', 'alpha-web-2']);
    expect(found('a1b2', cs)).toEqual({ ambiguous: ['alpha-web', 'alpha-web-2'] });
    expect(found('a1b2c', cs)).toEqual(['alpha-web']);
  });

  it('a bare service two projects have is ambiguous, naming project/service; the qualified form is not', () => {
    const cs = [...all, container(OTHER_WEB_ID, 'blog-web', { compose: { project: 'blog', service: 'web' } })];
    expect(found('web', cs)).toEqual({ ambiguous: ['blog/web', 'shop/web'] });
    expect(found('blog/web', cs)).toEqual(['blog-web']);
  });

  it('an exact name wins over an alias or service of the same spelling', () => {
    const named = container(OTHER_WEB_ID, 'web');
    expect(found('web', [...all, named])).toEqual(['web']);
  });

  it('an alias two containers carry on different networks is ambiguous', () => {
    const eps: EndpointInfo[] = [...endpoints, { containerId: SIDE_ID, container: 'delta-sidecar', network: 'x', networkId: 'n3', aliases: ['database'] }];
    expect(findContainers('database', all, eps)).toEqual({ kind: 'ambiguous', candidates: ['beta-db', 'delta-sidecar'] });
  });
});

describe('namespaceOwners', () => {
  it('a sidecar is captured on its owner; duplicates collapse; a removed owner is skipped', () => {
    expect(namespaceOwners([side], all).map((c) => c.name)).toEqual(['alpha-web']);
    expect(namespaceOwners([side, web, db], all).map((c) => c.name)).toEqual(['alpha-web', 'beta-db']);
    expect(namespaceOwners([side], [side, db])).toEqual([]);
  });
});

describe('endpointMatches', () => {
  const ep: Endpoint = {
    label: 'alpha-web (+delta-sidecar)',
    kind: 'container',
    container: 'alpha-web',
    containerId: WEB_ID,
    sharedWith: [{ id: SIDE_ID, name: 'delta-sidecar' }],
    compose: { project: 'shop', service: 'web' },
    aliases: ['web', 'frontend'],
  };

  it('accepts every name form of the endpoint and of the containers sharing it', () => {
    for (const q of ['alpha-web', '/alpha-web', 'alpha-web (+delta-sidecar)', 'a1b2', WEB_ID, 'shop/web', 'web', 'frontend', 'delta-sidecar', '5151']) {
      expect(endpointMatches(ep, q), q).toBe(true);
    }
  });

  it('refuses other names, short or partial ids, a label fragment', () => {
    for (const q of ['beta-db', 'a1b', 'alpha', 'shop', 'blog/web', 'dbdb', '(+delta-sidecar)']) {
      expect(endpointMatches(ep, q), q).toBe(false);
    }
  });

  it('a gateway is named "gateway" or by its label, never by a container form', () => {
    const gw: Endpoint = { label: 'gateway (host)', kind: 'gateway', bridge: 'br-x' };
    expect(endpointMatches(gw, 'gateway')).toBe(true);
    expect(endpointMatches(gw, 'gateway (host)')).toBe(true);
    expect(endpointMatches(gw, 'br-x')).toBe(false);
  });
});

describe('labels, forms and keys', () => {
  it('compose identity needs both labels', () => {
    expect(composeOf({ 'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'web' })).toEqual({ project: 'shop', service: 'web' });
    expect(composeOf({ 'com.docker.compose.project': 'shop' })).toBeUndefined();
    expect(composeOf(null)).toBeUndefined();
  });

  it('the label lists running sharers; a stopped sidecar shares nothing', () => {
    expect(displayLabel('alpha-web', ['delta-sidecar', 'echo'])).toBe('alpha-web (+delta-sidecar, echo)');
    expect(containerIdentity(web, all)).toMatchObject({ name: 'alpha-web', label: 'alpha-web (+delta-sidecar)', sharedWith: [{ name: 'delta-sidecar' }] });
    expect(containerIdentity(web, [web, { ...side, state: 'exited' }]).label).toBe('alpha-web');
  });

  it('name forms list name, short id, compose forms and aliases once each', () => {
    expect(nameForms(web, endpoints)).toEqual(['alpha-web', WEB_ID.slice(0, 12), 'shop/web', 'web']);
    expect(nameForms(db, endpoints)).toEqual(['beta-db', DB_ID.slice(0, 12), 'database', 'admin-db']);
  });

  it('identity keys: one per container whatever its label; the label for anything else', () => {
    const a: Endpoint = { label: 'alpha-web', kind: 'container', containerId: WEB_ID };
    const b: Endpoint = { label: 'alpha-web (+delta-sidecar)', kind: 'container', containerId: WEB_ID };
    expect(identityKey(a, a.label)).toBe(identityKey(b, b.label));
    expect(identityKey(undefined, '10.0.0.1')).not.toBe(identityKey(undefined, '10.0.0.2'));
  });

  it('an ambiguous name is a usage error listing the candidates', () => {
    const e = new AmbiguousNameError('web', ['blog/web', 'shop/web']);
    expect(e.exitCode).toBe(2);
    expect(e.code).toBe('BS_AMBIGUOUS_NAME');
    expect(e.message).toBe('web names several containers: blog/web, shop/web; name one of them');
  });
});
