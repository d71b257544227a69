// typescript-eslint's recommended rules over src/ and test/; the build output and the native
// addon's build folder are not ours to lint.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'native/build/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // dockerode (with ssh2, gRPC and protobufjs) costs a command ~0.25 CPU s to load: src/ reaches
    // it only through docker/client.ts's dockerode(), on first use, so a replay never pays for it.
    files: ['src/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [{ name: 'dockerode', allowTypeImports: true, message: "load it through dockerode() in src/docker/client.ts (on first use)" }],
      }],
    },
  },
  {
    // decode's const enums are field layouts (tsc inlines them): two fields, or the fields of two
    // message types, may sit at the same offset.
    files: ['src/decode/**/*.ts'],
    rules: { '@typescript-eslint/no-duplicate-enum-values': 'off' },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', Buffer: 'readonly', setTimeout: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
