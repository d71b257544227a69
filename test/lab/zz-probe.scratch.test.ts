import { execFileSync } from 'node:child_process';
import { it } from 'vitest';
import { twoHostLabUp } from './two-host-lab.js';
import { runCli } from '../cli/run-cli.js';
it('probe', async () => {
  await twoHostLabUp();
  const H = ['-H', 'unix:///run/bs-dh1.sock', '-H', 'unix:///run/bs-dh2.sock'];
  console.log(runCli(['trace', 'bs-alpha', 'bs-beta', ...H, '-c', '3', '--cold']).stdout.split('path:')[1]);
  const rule = ['INPUT', '-p', 'udp', '--dport', '4789', '-j', 'DROP'];
  execFileSync('ip', ['netns', 'exec', 'bs-dh2', 'iptables', '-I', ...rule]);
  console.log(runCli(['trace', 'bs-alpha', 'bs-beta', ...H, '-c', '2']).stdout.split('path:')[1]);
  execFileSync('ip', ['netns', 'exec', 'bs-dh2', 'iptables', '-D', ...rule]);
  const r = runCli(['trace', 'bs-alpha', 'bs-beta', ...H, '-c', '2']);
  console.log(r.stdout, r.stderr);
  const r2 = runCli(['trace', 'bs-alpha', 'bs-beta', ...H, '-c', '2']);
  console.log(r2.stdout.split('path:')[1], r2.stderr);
}, 300_000);
