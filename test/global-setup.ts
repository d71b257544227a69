import { execFileSync } from 'node:child_process';

/** CLI tests run the real program (dist/cli/main.js): compile once before any test file runs. */
export default function setup(): void {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
}
