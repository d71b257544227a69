#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { BridgescopeError } from '../errors.js';
import { registerCommands } from './commands/index.js';
import { notice, writeStderr } from './stderr.js';

/**
 * Entry point. User mistakes (BridgescopeError, commander usage errors) become one line on stderr
 * and exit 2 (or the error's own code); anything else is a bug and keeps its stack. Both are
 * escaped (stderr.ts): messages quote file names and file bytes.
 */
async function main(argv: string[]): Promise<number> {
  const program = new Command('bridgescope')
    .description('Packet-capture analyzer for Docker bridge traffic: every frame named by its container')
    .version('0.1.0')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({ outputError: (str) => writeStderr(str) });
  registerCommands(program);
  try {
    await program.parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof BridgescopeError) {
      notice(err.message);
      return err.exitCode;
    }
    throw err;
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    notice(`internal error: ${err instanceof Error ? err.stack : String(err)}`);
    process.exitCode = 70;
  },
);
