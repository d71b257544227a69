import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { looksRemote, parseRemoteTarget, remoteScript, shellQuote, sshArgs, sshHostsFrom, STREAM_MARK } from '../../src/capture/remote-target.js';
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

  it('runs a remote bridgescope only if its capture help promises the stream; an older one leaves tcpdump', async () => {
    // Ours, wrapped narrower than any terminal would (fold): the probe's squeeze still finds the words.
    const help = runCli(['capture', '--help']).stdout;
    expect(execFileSync('sh', ['-c', `fold -s -w 24 | tr -s ' \\n' '  ' | grep -cF ${shellQuote(STREAM_MARK)}`], { input: help, encoding: 'utf8' }).trim()).toBe('1');
    // A bridgescope without `-w -` and a tcpdump that says how it was run, on the PATH of the script.
    const bin = mkdtempSync(join(tmpdir(), 'bs-remote-path-'));
    // Its input stays open until it has exited, as ssh's does: else the watcher may stop tcpdump first.
    const run = async (script: string) => {
      const c = spawn('sh', ['-c', script], { env: { PATH: `${bin}:/usr/bin:/bin` }, stdio: ['pipe', 'ignore', 'pipe'] });
      let said = '';
      c.stderr.on('data', (d: Buffer) => (said += d.toString()));
      const closed = once(c, 'close');
      await once(c, 'exit');
      c.stdin.end();
      await closed;
      return said;
    };
    try {
      writeFileSync(join(bin, 'bridgescope'), '#!/bin/sh\necho "Usage: bridgescope capture [options] <target...>"\necho "  -w, --write <file>  write every frame to FILE"\n', { mode: 0o755 });
      writeFileSync(join(bin, 'tcpdump'), '#!/bin/sh\necho "tcpdump $*" >&2\n', { mode: 0o755 });
      expect(await run(remoteScript('lo', { filter: 'icmp' }))).toBe(`tcpdump -U -n --immediate-mode --time-stamp-precision=nano -s 262144 -w - -i lo icmp\n`);
      // One that streams is run instead, on the interface as it is.
      writeFileSync(join(bin, 'bridgescope'), `#!/bin/sh\ncase "$*" in *--help*) echo "-w, --write <file> ... ${STREAM_MARK}";; *) echo "bridgescope $*" >&2;; esac\n`, { mode: 0o755 });
      expect(await run(remoteScript('lo', { filter: 'icmp', snaplen: 96 }))).toBe('bridgescope capture --no-tui --no-names --snaplen 96 -f icmp -w - -- lo\n');
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
