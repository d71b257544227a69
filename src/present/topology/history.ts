import type { ContainerInfo, Topology } from '../../model/topology.js';
import { sanitize } from '../../sanitize.js';

/** One topology a capture saw, from `at` (epoch seconds). */
export interface HistoryEntry {
  at: number;
  topology: Topology;
}

const time = (at: number) => new Date(Math.round(at * 1000)).toISOString().replace('T', ' ').replace('Z', ' UTC');

function addresses(t: Topology, id: string): string {
  return t.endpoints
    .filter((e) => e.containerId === id)
    .map((e) => `${e.ipv4 ?? e.mac ?? '?'} on ${sanitize(e.network)}`)
    .join(', ');
}

function describe(t: Topology, c: ContainerInfo): string {
  const addr = addresses(t, c.id);
  return `${sanitize(c.name)} (${sanitize(c.state)})${addr ? `  ${addr}` : ''}`;
}

/** What changed between two snapshots, one line per container: + came, - left, ~ changed. */
function changes(before: Topology, after: Topology): string[] {
  const old = new Map(before.containers.map((c) => [c.id, c]));
  const lines: string[] = [];
  for (const c of after.containers) {
    const was = old.get(c.id);
    old.delete(c.id);
    if (!was) {
      lines.push(`+ ${describe(after, c)}`);
      continue;
    }
    const what: string[] = [];
    if (was.name !== c.name) what.push(`renamed from ${sanitize(was.name)}`);
    if (was.state !== c.state) what.push(`${sanitize(was.state)} -> ${sanitize(c.state)}`);
    const a = addresses(before, c.id);
    const b = addresses(after, c.id);
    if (a !== b) what.push(`addresses ${a || 'none'} -> ${b || 'none'}`);
    if (what.length) lines.push(`~ ${sanitize(c.name)}: ${what.join('; ')}`);
  }
  for (const c of old.values()) lines.push(`- ${sanitize(c.name)} removed`);
  return lines;
}

/**
 * `bridgescope topology --file CAPTURE`: the topology the capture started with, each change it
 * recorded with its time, then every container the file knew with its last state (stopped ones
 * included), so a name that left during the capture is still there to read.
 */
export function renderHistory(history: readonly HistoryEntry[]): string {
  if (history.length === 0) return '(this capture holds no topology snapshot)\n';
  const out: string[] = [];
  const first = history[0];
  out.push(`${time(first.at)}  capture started with ${first.topology.containers.length} container(s)`);
  for (const c of first.topology.containers) out.push(`    ${describe(first.topology, c)}`);
  for (let i = 1; i < history.length; i++) {
    const lines = changes(history[i - 1].topology, history[i].topology);
    out.push(`${time(history[i].at)}  ${lines.length ? lines.join(`\n${' '.repeat(time(0).length + 2)}`) : 'no container changed'}`);
  }
  const known = new Map<string, { t: Topology; c: ContainerInfo; gone: boolean }>();
  for (const h of history) {
    const here = new Set(h.topology.containers.map((c) => c.id));
    for (const k of known.values()) if (!here.has(k.c.id)) k.gone = true;
    for (const c of h.topology.containers) known.set(c.id, { t: h.topology, c, gone: false });
  }
  out.push('', 'containers the capture knew (last state seen):');
  for (const { t, c, gone } of known.values()) out.push(`    ${describe(t, c)}${gone ? '  removed' : ''}`);
  return `${out.join('\n')}\n`;
}
