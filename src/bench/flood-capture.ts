import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { createNetnsLab, type NetnsLab } from './netns-lab.js';

export interface FloodCapture {
  file: string;
  frames: number;
  bytes: number;
  lab: NetnsLab;
}

/**
 * Records `frames` frames of a flood ping between two namespaces of the bench's own on a bridge of
 * its own, with tcpdump (the reference capturer), in microseconds because pcap-parser, a baseline,
 * reads nothing else. 1000-byte payloads make one million frames a
 * file of about 1 GB, so the same file measures speed and bounded memory.
 */
export async function recordFlood(file: string, frames: number): Promise<FloodCapture> {
  const lab = createNetnsLab({ nsPrefix: 'bsbench-', ifPrefix: 'bsbench', subnet: '10.204.0' });
  const tcpdump = spawn('tcpdump', ['-i', lab.bridge, '-w', file, '-c', String(frames), '-B', '65536', '-s', '2048', 'icmp or arp'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  tcpdump.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  await new Promise((r) => setTimeout(r, 500));
  const ping = spawn('ip', ['netns', 'exec', lab.nsA, 'ping', '-f', '-q', '-s', '1000', lab.ipB], { stdio: 'ignore' });
  const code = await new Promise<number | null>((resolve) => tcpdump.on('exit', resolve));
  ping.kill('SIGINT');
  if (code !== 0) throw new Error(`tcpdump failed recording the bench capture: ${stderr.trim()}`);
  return { file, frames, bytes: statSync(file).size, lab };
}
