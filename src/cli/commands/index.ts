import type { Command } from 'commander';
import { registerAssert } from './assert.js';
import { registerCapture } from './capture.js';
import { registerLab } from './lab.js';
import { registerReplay } from './replay.js';
import { registerSummary } from './summary.js';
import { registerTopology } from './topology.js';
import { registerTrace } from './trace.js';

/** Each command lives in its own file and adds itself here. */
export function registerCommands(program: Command): void {
  registerReplay(program);
  registerCapture(program);
  registerLab(program);
  registerTopology(program);
  registerSummary(program);
  registerAssert(program);
  registerTrace(program);
}
