import { ENGINE_CASES, type EngineCaseName } from './live.js';

/**
 * One live engine case of `npm run bench` in a process of its own:
 * `node dist/bench/live-worker.js CASE BRIDGE NS_A IP_B DIR` pings IP_B from NS_A and captures
 * BRIDGE (files, if the case writes any, go in DIR). Prints the case's row as one JSON line.
 */
async function main(): Promise<void> {
  const [name, bridge, nsA, ipB, dir] = process.argv.slice(2);
  const run = ENGINE_CASES[name as EngineCaseName];
  if (!run || !dir) throw new Error(`usage: live-worker <${Object.keys(ENGINE_CASES).join('|')}> BRIDGE NS_A IP_B DIR`);
  process.stdout.write(JSON.stringify(await run({ bridge, nsA, ipB }, dir)) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
