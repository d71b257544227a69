/** Key escapes as a terminal sends them, for ink-testing-library's stdin. */
export const KEY = { up: '\x1b[A', down: '\x1b[B', enter: '\r', esc: '\x1b', tab: '\t', right: '\x1b[C', end: '\x1b[F', home: '\x1b[H' };

/** Waits until the last frame satisfies `ok` (renders are asynchronous); fails with the screen. */
export async function until(lastFrame: () => string | undefined, ok: (screen: string) => boolean, what = 'the expected content'): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const screen = lastFrame() ?? '';
    if (ok(screen)) return screen;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`screen never showed ${what}:\n${lastFrame()}`);
}
