import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { daemonFromUrl, daemonsFrom } from '../../src/docker/daemons.js';
import { networkInfoOf } from '../../src/docker/container-view.js';

describe('Docker daemons named on the command line', () => {
  it('takes unix sockets, named after the socket file', () => {
    expect(daemonFromUrl('unix:///run/bs-dh1.sock', {})).toEqual({ name: 'bs-dh1', options: { socketPath: '/run/bs-dh1.sock' } });
  });

  it('takes tcp, with TLS from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH as the docker CLI does', () => {
    expect(daemonFromUrl('tcp://10.1.2.3:2375', {})).toEqual({ name: '10.1.2.3', options: { host: '10.1.2.3', port: 2375, protocol: 'http' } });
    const certs = mkdtempSync(join(tmpdir(), 'bridgescope-certs-'));
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(certs, f), f);
    const d = daemonFromUrl('tcp://dh2', { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certs });
    expect(d.options).toMatchObject({ host: 'dh2', port: 2376, protocol: 'https' });
    expect(String(d.options.ca)).toBe('ca.pem');
    expect(String(d.options.key)).toBe('key.pem');
    expect(() => daemonFromUrl('tcp://dh2', { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: join(certs, 'none') })).toThrow(/cannot be read/);
  });

  it('takes ssh with user and port, keys from the agent', () => {
    const d = daemonFromUrl('ssh://ops@dh3:2222', { SSH_AUTH_SOCK: '/run/agent' });
    expect(d).toEqual({ name: 'dh3', options: { protocol: 'ssh', host: 'dh3', port: 2222, username: 'ops', sshOptions: { agent: '/run/agent' } } });
  });

  it('refuses what the docker CLI would refuse, naming the flag', () => {
    expect(() => daemonFromUrl('http://x', {})).toThrow(/-H http:\/\/x: unknown scheme http:/);
    expect(() => daemonFromUrl('unix://run/x.sock', {})).toThrow(/absolute/);
    expect(() => daemonsFrom(['unix:///a/dh.sock', 'unix:///b/dh.sock'], [], {})).toThrow(/both called 'dh'/);
  });

  it('finds a context by name, named after the context', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bridgescope-ctx-'));
    const meta = join(dir, 'contexts', 'meta', createHash('sha256').update('dh2').digest('hex'));
    mkdirSync(meta, { recursive: true });
    writeFileSync(join(meta, 'meta.json'), JSON.stringify({ Name: 'dh2', Endpoints: { docker: { Host: 'unix:///run/bs-dh2.sock' } } }));
    expect(daemonsFrom(['unix:///run/bs-dh1.sock'], ['dh2'], { DOCKER_CONFIG: dir }).map((d) => d.name)).toEqual(['bs-dh1', 'dh2']);
    expect(() => daemonsFrom([], ['nope'], { DOCKER_CONFIG: dir })).toThrow(/--context nope: no such Docker context/);
  });
});

describe('overlay networks', () => {
  it('carry their VNIs from the overlay driver option', () => {
    const n = networkInfoOf({ Id: 'x', Name: 'ovnet', Driver: 'overlay', Options: { 'com.docker.network.driver.overlay.vxlanid_list': '4097,4098' } });
    expect(n.vni).toEqual([4097, 4098]);
    expect(n.bridge).toBeUndefined();
    expect(networkInfoOf({ Id: 'y', Name: 'b', Driver: 'bridge' }).vni).toBeUndefined();
  });
});
