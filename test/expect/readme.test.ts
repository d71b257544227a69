import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { matchExpectation, replay } from '../../src/index.js';

const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
const section = readme.slice(readme.indexOf('## Asserting sequences'));

it("the README's example expectation holds on the seed capture it names", async () => {
  const example = /```\n(# web-bridge-1 pings[\s\S]*?)```/.exec(section)?.[1];
  expect(example).toBeDefined();
  const file = /\((captures\/[^)]+)\)/.exec(example!)?.[1];
  const rec = await replay(fileURLToPath(new URL(`../../${file}`, import.meta.url)));
  const r = matchExpectation(rec, example!);
  expect(r.failure).toBeUndefined();
  expect(r.steps.map((s) => s.matched)).toEqual([1, 1, 4, 4, 0, 0]);
});
