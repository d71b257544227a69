import { PassThrough } from 'node:stream';
import type { DockerClient } from './client.js';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command in a running container through the Engine API's exec (argv as given, never a
 * shell string built from user input) and waits for it to end.
 */
export async function execInContainer(client: DockerClient, container: string, argv: string[]): Promise<ExecResult> {
  return client.call(`exec ${argv[0]} in ${container}`, async (api) => {
    const exec = await api.getContainer(container).exec({ Cmd: argv, AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: false });
    const out = new PassThrough();
    const err = new PassThrough();
    let stdout = '';
    let stderr = '';
    out.on('data', (d: Buffer) => (stdout += d.toString()));
    err.on('data', (d: Buffer) => (stderr += d.toString()));
    api.modem.demuxStream(stream, out, err);
    await new Promise<void>((resolve, reject) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', reject);
    });
    const info = await exec.inspect();
    return { exitCode: info.ExitCode ?? -1, stdout, stderr };
  });
}
