import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Expectation, MatchResult } from '../../expect/index.js';
import { BridgescopeError, UsageError } from '../../errors.js';
import { mergeCopies } from '../../copies/copy-merge-source.js';
import { ipv4CopyLayout } from '../../decode/copy-layout.js';
import { daemonOptions, duration } from '../options.js';
import { daemonsFrom } from '../../docker/daemons.js';
import { replayNames } from '../../session/replay-names.js';
import { escapeJson } from '../../present/sanitize.js';
import { notice } from '../stderr.js';

interface AssertFlags {
  expect: string;
  file?: string;
  duration?: number;
  json?: boolean;
  topology?: string;
  names: boolean;
  docker?: boolean;
  allCopies?: boolean;
  host: string[];
  context: string[];
}

/**
 * `bridgescope assert --expect FILE (--file CAP | TARGET --duration D)`: exit 0 when the
 * expectation is met, 1 when not (the report says why), 2 for usage errors (bad expectation
 * file, unreadable capture, unknown target).
 */
export function registerAssert(program: Command): void {
  daemonOptions(program
    .command('assert')
    .description('check that frames contain an expected ARP/ICMP sequence; exit 0 met, 1 not met, 2 usage error')
    .argument('[target]', 'live: container, Docker network or interface to capture on (with --duration)')
    .requiredOption('--expect <file>', 'expectation file (one step per line; see the README)')
    .option('--file <capture>', 'check a saved .pcap/.pcapng instead of capturing')
    .option('--duration <d>', 'live: capture this long (10s, 500ms, 2m)', duration('--duration'))
    .option('--json', 'print the match result as JSON instead of the text report')
    .option('--topology <file>', 'names from this topology snapshot')
    .option('--no-names', 'addresses only: expectation names will not match')
    .option('--all-copies', 'count each copy of a frame seen on several interfaces (default: one frame)')
    .option('--docker', 'names from the running Docker daemon'))
    .action(async (target: string | undefined, flags: AssertFlags) => {
      if (flags.file && target) throw new UsageError(`give either --file or a live target, not both (${target})`);
      if (!flags.file && !target) throw new UsageError('nothing to check: give --file CAPTURE, or a live TARGET with --duration');
      if (target && flags.duration === undefined) throw new UsageError(`live assert on ${target} needs --duration (e.g. --duration 10s)`);
      // The matcher is loaded by the command that uses it, not at every command's start-up.
      const { formatMatchReport, parseExpectation } = await import('../../expect/index.js');
      const expectation = parseExpectation(await readExpectation(flags.expect), flags.expect);
      const result = flags.file
        ? await fromFile(flags.file, flags, expectation)
        : await live(target!, flags.duration!, flags, expectation);
      process.stdout.write(flags.json ? `${escapeJson(JSON.stringify(result, null, 2))}\n` : formatMatchReport(result));
      if (!result.ok) process.exitCode = 1;
    });
}

async function readExpectation(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new BridgescopeError('BS_EXPECT_FILE', `${path}: ${code === 'ENOENT' ? 'no such expectation file' : `cannot read expectation file (${code ?? 'error'})`}`, 2, { cause: err });
  }
}

async function fromFile(file: string, flags: AssertFlags, expectation: Expectation): Promise<MatchResult> {
  const { matchExpectation } = await import('../../expect/index.js');
  const names = await replayNames(file, flags);
  try {
    return await matchExpectation(mergeCopies(names.source, ipv4CopyLayout, flags), expectation, { resolver: names.resolver });
  } finally {
    await names.close();
  }
}

/** Captures on the target for `ms`, matching as frames arrive; names from the running daemon, or those -H/--context named. */
async function live(target: string, ms: number, flags: AssertFlags, expectation: Expectation): Promise<MatchResult> {
  const { matchExpectation } = await import('../../expect/index.js');
  const { startLiveSession } = await import('../../session/live-session.js');
  const session = await startLiveSession({
    targets: [target],
    names: flags.names,
    daemons: daemonsFrom(flags.host, flags.context),
    onNotice: notice,
  });
  notice(`capturing on ${session.description} for ${ms / 1000} s`);
  const timer = setTimeout(() => void session.stop(), ms);
  try {
    return await matchExpectation(mergeCopies(session.source, ipv4CopyLayout, flags), expectation, { resolver: session.resolver });
  } finally {
    clearTimeout(timer);
    await session.stop();
  }
}
