import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TimestampText, epochText } from '../../src/present/clock.js';
import { jsonText } from '../../src/present/json-text.js';
import { sanitize } from '../../src/present/sanitize.js';
import { renderBox } from '../../src/present/topology/box.js';
import type { Topology } from '../../src/model/topology.js';

const hostile = 'a\x1b[2Jb\x7fc\x9b31md\u202eevil\u2066e\u2028f\u200eg\u0085h';

describe('NDJSON escapes every character a terminal acts on (finding 4)', () => {
  it('writes DEL, C1, bidi controls and line separators as \\uXXXX and stays valid JSON', () => {
    const line = jsonText({ name: hostile, iface: 'veth\u009b0' });
    // eslint-disable-next-line no-control-regex
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    expect(line).toContain('\\u007f');
    expect(line).toContain('\\u009b');
    expect(line).toContain('\\u202e');
    expect(line).toContain('\\u2028');
    expect(line).toContain('\\u2066');
    expect(line).toContain('\\u200e');
    expect(JSON.parse(line)).toEqual({ name: hostile, iface: 'veth\u009b0' });
  });
});

describe('one escaper for every terminal path (finding 3)', () => {
  it('the topology view uses it: bidi overrides and U+2028 in a container name are escaped', () => {
    const t: Topology = { version: 2, capturedAt: '', hostname: hostile, interfaces: [], bridges: [], networks: [], containers: [], endpoints: [], routes: [] } as unknown as Topology;
    const out = renderBox(t);
    expect(out).toContain(sanitize(hostile));
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\u001b\u007f-\u009f\u202e\u2066\u2028]/);
  });

  it('has no twin: src/sanitize.ts is the only sanitizer', () => {
    const out = execFileSync('grep', ['-rlE', 'function (sanitize|escape)[A-Za-z]*\\(', fileURLToPath(new URL('../../src/', import.meta.url))], { encoding: 'utf8' });
    expect(out.trim().split('\n').map((f) => f.replace(/.*\/src\//, 'src/'))).toEqual(['src/sanitize.ts']);
  });
});

describe('times past what Date can show (finding 10)', () => {
  it('print as the raw epoch with a mark, never NaN', () => {
    const clock = new TimestampText(6);
    const text = clock.format(1e16, 123_000);
    expect(text).not.toContain('NaN');
    expect(text).toBe('@10000000000000000.000123');
    expect(new TimestampText(9, true).format(-1e16, 5)).toBe('@-10000000000000000.000000005');
    expect(clock.format(0, 0)).toMatch(/^\d\d:\d\d:\d\d\.000000$/);
  });

  it('NDJSON ts stays exact integer text for them', () => {
    expect(epochText(18446744073709551616, 1)).toBe('18446744073709551616.000000001');
  });
});
