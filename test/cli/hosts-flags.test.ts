import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

/** -H/--context on every command that names frames: a bad one is one line and exit 2, before anything runs. */
describe('-H and --context on every naming command', () => {
  const expectFile = join(mkdtempSync(join(tmpdir(), 'bridgescope-hosts-')), 'ping.expect');
  writeFileSync(expectFile, 'icmp echo-request\n');
  const commands = [
    ['capture', 'lo', '-c', '1'],
    ['topology'],
    ['summary', 'captures/seed-ping.pcapng'],
    ['assert', '--expect', expectFile, '--file', 'captures/seed-ping.pcapng'],
    ['trace', 'a', 'b'],
    ['replay', 'captures/seed-ping.pcapng'],
  ];

  it.each(commands)('%s refuses a URL the docker CLI would refuse, naming it', (...args) => {
    const r = runCli([...args, '-H', 'http://dh2:2375']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['bridgescope: -H http://dh2:2375: unknown scheme http: (expected unix:///path, tcp://host:port or ssh://[user@]host[:port])']);
  });

  it.each(commands)('%s refuses an unknown context, naming it', (...args) => {
    const r = runCli([...args, '--context', 'no-such-context-here']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--context no-such-context-here: no such Docker context/);
  });

});
