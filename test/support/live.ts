import { execFileSync } from 'node:child_process';
import { describe, it } from 'vitest';

/**
 * Live tests need root, tools or a Docker daemon. On a laptop they skip with the reason; in CI
 * (BRIDGESCOPE_REQUIRE_LIVE=1) a missing prerequisite is a failing test, never a silent skip.
 */
export interface LiveNeeds {
  root?: boolean;
  docker?: boolean;
  tools?: string[];
}

const requireLive = process.env.BRIDGESCOPE_REQUIRE_LIVE === '1';

function hasTool(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function dockerAnswers(): boolean {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** Why these needs are not met here, or null when they are. */
export function missingLive(needs: LiveNeeds): string | null {
  if (needs.root && process.getuid?.() !== 0) return 'needs root (network namespaces, raw capture)';
  for (const tool of needs.tools ?? []) if (!hasTool(tool)) return `needs ${tool} on PATH`;
  if (needs.docker && !dockerAnswers()) return 'needs a running Docker daemon (docker info failed)';
  return null;
}

/** `describe` that skips with a reason when needs are unmet, and fails instead under REQUIRE_LIVE. */
export function describeLive(name: string, needs: LiveNeeds, body: () => void): void {
  const missing = missingLive(needs);
  if (!missing) {
    describe(name, body);
  } else if (requireLive) {
    describe(name, () => {
      it('has its live prerequisites (BRIDGESCOPE_REQUIRE_LIVE=1)', () => {
        throw new Error(`${name}: ${missing}`);
      });
    });
  } else {
    describe.skip(`${name} (skipped: ${missing})`, body);
  }
}
