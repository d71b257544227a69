import { spawn } from 'node:child_process';

export interface ToolRun {
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  stdout: string;
}

/**
 * Runs a command under GNU time with stdout to /dev/null (or captured), returning wall time, CPU
 * and peak RSS as the kernel counted them, so our figures and tcpdump's are measured alike.
 */
export function timed(cmd: string, args: string[], captureStdout = false): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', 'BSTIME %e %U %S %M', cmd, ...args], {
      stdio: ['ignore', captureStdout ? 'pipe' : 'ignore', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const m = /BSTIME (\S+) (\S+) (\S+) (\d+)/.exec(err);
      if (!m || code !== 0) {
        reject(new Error(`${cmd} ${args.join(' ')} failed (${code}): ${err.trim().split('\n').slice(-3).join(' | ')}`));
        return;
      }
      resolve({ seconds: Number(m[1]), cpuSeconds: Number(m[2]) + Number(m[3]), peakRssMb: Number(m[4]) / 1024, stdout: out });
    });
  });
}
