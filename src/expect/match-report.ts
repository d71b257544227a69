import { sanitize } from '../sanitize.js';
import type { MatchResult, StepResult } from './matcher.js';

function frameList(s: StepResult): string {
  if (s.matched === 0) return 'no frame';
  const shown = s.frames.slice(0, 8).join(', ');
  const more = s.matched > 8 ? `, ... (${s.matched} frames)` : '';
  return `frame${s.matched === 1 ? '' : 's'} ${shown}${more}`;
}

/**
 * The result as a diff-like text: one line per step (`ok`, `FAIL`, `--` not reached), then for a
 * failure the reason, the nearest frames with why each did not match, and the frames around it
 * (`...` where frames in between are left out).
 * Text from the network is sanitised (container names can hold escapes).
 */
export function formatMatchReport(r: MatchResult): string {
  const out: string[] = [];
  const f = r.failure;
  if (!f) out.push(`expectation met (${r.frames} frames)`);
  else {
    const s = r.steps[f.step];
    out.push(`expectation NOT met: step ${f.step + 1}${s.line ? ` (line ${s.line})` : ''}: ${s.text}`);
    out.push(`  ${sanitize(f.reason)}`);
  }
  out.push('');
  const width = Math.max(...r.steps.map((s) => s.text.length));
  r.steps.forEach((s, i) => {
    const failed = f?.step === i;
    const reached = s.kind === 'forbid' || s.matched > 0 || s.met || failed || (f === undefined);
    const mark = failed ? 'FAIL' : s.kind === 'forbid' ? (s.met ? 'ok  ' : 'FAIL') : s.met ? 'ok  ' : reached ? 'FAIL' : '--  ';
    const where = s.kind === 'forbid' ? (s.matched ? frameList(s) : 'none seen') : reached ? frameList(s) : 'not reached';
    out.push(`${mark} ${String(i + 1).padStart(2)}  ${s.text.padEnd(width)}  ${where}`);
  });
  if (f?.nearest.length) {
    out.push('', 'nearest frames:');
    for (const n of f.nearest) {
      out.push(`  - ${String(n.frame).padStart(6)}  ${sanitize(n.text)}`);
      out.push(`            ${sanitize(n.why.join('; '))}`);
    }
  }
  if (f?.context.length) {
    out.push('', 'frames around it:');
    let prev = 0;
    for (const c of f.context) {
      if (c.frame > prev + 1) out.push('    ...');
      out.push(`  ${c.frame === f.frame ? '>' : ' '} ${String(c.frame).padStart(6)}  ${sanitize(c.text)}`);
      prev = c.frame;
    }
    if (prev < r.frames) out.push('    ...');
  }
  return out.join('\n') + '\n';
}
