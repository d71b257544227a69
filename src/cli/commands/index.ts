import type { Command } from 'commander';
import { registerLab } from './lab.js';
import { registerReplay } from './replay.js';
import { registerTopology } from './topology.js';

/** Each command lives in its own file and adds itself here. */
export function registerCommands(program: Command): void {
  void program;
  registerReplay(program);
  registerLab(program);
  registerTopology(program);
}
