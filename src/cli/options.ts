import type { Command } from 'commander';
import { parseDuration } from '../duration.js';
import { UsageError } from '../errors.js';
import { VXLAN_PORT } from '../decode/index.js';

/** commander argParsers that name the flag in their one-line error. */
export function positiveInt(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} expects a positive whole number, got '${value}'`);
    return n;
  };
}

export function positiveNumber(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} expects a positive number, got '${value}'`);
    return n;
  };
}

/** "10", "10s", "500ms", "2m" -> milliseconds. */
export function duration(flag: string): (value: string) => number {
  return (value) => {
    const ns = parseDuration(value.trim(), 's');
    if (ns === undefined) throw new UsageError(`${flag} expects a duration like 10s, 500ms or 2m, got '${value}'`);
    return ns / 1e6;
  };
}

/** A repeatable string flag's parser. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** A repeatable UDP port flag (`--vxlan-port 4789 --vxlan-port 7789`). */
export function ports(flag: string): (value: string, previous: number[]) => number[] {
  return (value, previous) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new UsageError(`${flag} expects a UDP port (1-65535), got '${value}'`);
    return [...previous, n];
  };
}

/** `--vxlan-port PORT` (repeatable) beside IANA's 4789, and the ports a command then opens as VXLAN. */
export function vxlanPortOption(cmd: Command): Command {
  return cmd.option('--vxlan-port <port>', `also open this UDP port as VXLAN (Docker's --data-path-port); repeatable; ${VXLAN_PORT} always is`, ports('--vxlan-port'), []);
}
export const vxlanPortsOf = (flags: { vxlanPort?: number[] }): number[] => [VXLAN_PORT, ...(flags.vxlanPort ?? [])];

/** `-H/--host URL` and `--context NAME`, repeatable: names from several Docker daemons at once. */
export function daemonOptions(cmd: Command): Command {
  return cmd
    .option('-H, --host <url>', 'names from this Docker daemon (unix://, tcp://, ssh://); repeat for several hosts', collect, [])
    .option('--context <name>', 'names from this Docker context; repeatable', collect, []);
}

/** `--ssh-config FILE` and `--ssh-option OPT` (repeatable): how the user's ssh reaches `what`. */
export function sshOptions(cmd: Command, what: string): Command {
  return cmd
    .option('--ssh-config <file>', `for ${what}: ssh reads this ssh_config instead of ~/.ssh/config (ssh -F)`)
    .option('--ssh-option <option>', `for ${what}: an ssh -o option (e.g. ProxyJump=bastion); repeatable`, collect, []);
}
