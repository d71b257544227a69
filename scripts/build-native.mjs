#!/usr/bin/env node
// Builds native/ (the libpcap addon) at `npm install`. Live capture needs it; replay, decoding and
// the UI do not, so a failed build warns once and exits 0 to let `npm install` succeed.
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const nativeDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'native');

/** node-gyp as npm provides it to install scripts, else the copy bundled with npm, else PATH. */
function nodeGypCommand() {
  const fromNpm = process.env.npm_config_node_gyp;
  if (fromNpm && existsSync(fromNpm)) return [process.execPath, fromNpm];
  const npmCli = process.env.npm_execpath;
  const candidates = [
    npmCli && join(dirname(npmCli), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  for (const c of candidates) if (c && existsSync(c)) return [process.execPath, realpathSync(c)];
  return ['node-gyp'];
}

/**
 * Distribution packages of Node (Debian's nodejs) ship the headers under <prefix>/include/node.
 * Pointing node-gyp there avoids downloading them, which fails offline.
 */
function nodedirArgs() {
  if (process.env.npm_config_nodedir) return [];
  const prefix = join(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
}

const [cmd, ...pre] = nodeGypCommand();
const result = spawnSync(cmd, [...pre, 'rebuild', ...nodedirArgs()], {
  cwd: nativeDir,
  stdio: process.env.BRIDGESCOPE_BUILD_VERBOSE ? 'inherit' : ['ignore', 'ignore', 'pipe'],
  encoding: 'utf8',
});

if (result.status !== 0) {
  const why = result.error ? result.error.message : lastErrorLine(result.stderr ?? '');
  process.stderr.write(
    `bridgescope: warning: the live-capture addon could not be built (${why}). ` +
      'Replay, decoding and analysis still work. For live capture run ' +
      '`apt-get install libpcap-dev g++ make python3`, then `npm rebuild bridgescope` ' +
      '(or `node scripts/build-native.mjs`).\n',
  );
}
process.exit(0);

/** The most telling line of node-gyp's output: the compiler's or linker's error, if any. */
function lastErrorLine(stderr) {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const telling = lines.find((l) => /error:|cannot find|not found|No such file/i.test(l) && !l.startsWith('gyp ERR! stack'));
  return telling ?? lines.find((l) => l.startsWith('gyp ERR!')) ?? 'node-gyp failed';
}
