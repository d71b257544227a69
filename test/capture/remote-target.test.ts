import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { looksRemote, parseRemoteTarget, remoteScript, shellQuote, sshArgs, sshHostsFrom } from '../../src/capture/remote-target.js';
import { UsageError } from '../../src/errors.js';

describe('remote targets (host:target)', () => {
  it('splits host and target; the host is what ssh resolves unless -H ssh:// named it', () => {
    expect(looksRemote('dh2:br0')).toBe(true);
    expect(looksRemote('br0')).toBe(false);
    expect(looksRemote(':br0')).toBe(false);
    expect(parseRemoteTarget('dh2:br0')).toEqual({ host: 'dh2', target: 'br0', ssh: { host: 'dh2' } });
    const hosts = sshHostsFrom(['unix:///run/docker.sock', 'ssh://ops@dh2.example:2222', 'ssh://dh3']);
    expect(parseRemoteTarget('dh2.example:bs-beta', hosts).ssh).toEqual({ host: 'dh2.example', user: 'ops', port: 2222 });
    expect(parseRemoteTarget('dh3:eth0', hosts).ssh).toEqual({ host: 'dh3', user: undefined, port: undefined });
  });

  it('refuses target text that is not a name, since it becomes part of a remote command', () => {
    for (const bad of ['dh2:br0;reboot', 'dh2:$(id)', 'dh2:', 'd h:br0', '-oProxyCommand=x:br0', 'dh2:-i']) {
      expect(() => parseRemoteTarget(bad), bad).toThrow(UsageError);
    }
  });

  it('ssh arguments: BatchMode, the user\'s config and options, then the destination after --', () => {
    expect(sshArgs({ host: 'dh2', user: 'ops', port: 2222 }, 'CMD', { config: '/tmp/c', options: ['ProxyJump=b'] })).toEqual(
      ['-T', '-o', 'BatchMode=yes', '-F', '/tmp/c', '-o', 'ProxyJump=b', '-l', 'ops', '-p', '2222', '--', 'dh2', 'CMD']);
  });

  it('quotes a filter for the remote shell so it arrives as one word, whatever it holds', () => {
    for (const f of [`icmp and host 10.0.0.1`, `it's`, `'; rm -rf / #`, `$(id) \`id\``]) {
      expect(execFileSync('sh', ['-c', `printf %s ${shellQuote(f)}`], { encoding: 'utf8' })).toBe(f);
    }
    const script = remoteScript('bs-beta', { filter: `icmp or arp`, snaplen: 128 });
    expect(script).toContain(`-s 128 -w - -i "$I" 'icmp or arp'`);
    // The script parses as POSIX sh.
    execFileSync('sh', ['-n', '-c', script]);
  });
});
