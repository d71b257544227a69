/**
 * The pipeline, locked: source -> decode -> annotate -> analyze -> present, with the shared model
 * below everything and the orchestration (session, tui, cli) on top. A module may import its own
 * layer or any layer below it, never one above: each row of LAYERS may only look down the list.
 * `npm run lint:deps` (run by the test suite) fails on the first import that runs back.
 */
const LAYERS = [
  ['model', 'errors.ts', 'sanitize.ts', 'duration.ts', 'close-matches.ts'],
  ['source', 'host'],
  ['pcap', 'capture', 'copies'],
  ['decode'],
  ['annotate', 'docker'],
  ['analyze'],
  ['present'],
  ['expect'],
  ['session', 'tui', 'vitest'],
  ['cli', 'bench', 'index.ts'],
];

const path = (names) => `^src/(${names.map((n) => n.replace('.', '\\.')).join('|')})(/|$)`;

const upward = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `no-upward-from-${layer[0]}`,
  comment: `${layer.join(', ')} may not import ${LAYERS.slice(i + 1).flat().join(', ')}`,
  severity: 'error',
  from: { path: path(layer) },
  to: { path: path(LAYERS.slice(i + 1).flat()) },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'a cycle of runtime imports hides which module depends on which (type-only ones are erased)',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-vitest-in-library',
      severity: 'error',
      comment: 'only the vitest entry point may load vitest, so the library does not',
      from: { path: '^src/', pathNot: '^src/vitest/' },
      to: { path: 'node_modules/vitest' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
