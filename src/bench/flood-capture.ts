import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import type { NetnsLab } from './netns-lab.js';

export interface FloodCapture {
  file: string;
  frames: number;
  bytes: number;
}

/**
 * Records `frames` frames of a flood ping (`payload` bytes of ICMP data; ping's default is 56)
 * between the two namespaces of `lab`, with tcpdump (the reference capturer), in microseconds
 * because pcap-parser, a baseline, reads nothing else.
 */
export async function recordFlood(lab: NetnsLab, file: string, frames: number, payload = 56): Promise<FloodCapture> {
  const tcpdump = spawn('tcpdump', ['-i', lab.bridge, '-w', file, '-c', String(frames), '-B', '65536', '-s', '2048', 'icmp or arp'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  tcpdump.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise((r) => setTimeout(r, 500));
  const ping = spawn('ip', ['netns', 'exec', lab.nsA, 'ping', '-f', '-q', '-s', String(payload), lab.ipB], { stdio: 'ignore' });
  const code = await new Promise<number | null>((resolve) => tcpdump.on('exit', resolve));
  ping.kill('SIGINT');
  if (code !== 0) throw new Error(`tcpdump failed recording the bench capture: ${stderr.trim()}`);
  return { file, frames, bytes: statSync(file).size };
}
