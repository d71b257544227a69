import { useInput, type Key } from 'ink';
import type { TuiStore } from './store/tui-store.js';

export interface KeyCommands {
  quit(): void;
  save(): void;
}

/**
 * Maps keys to store actions (the ink-ui pattern: the view renders, this hook interprets input).
 * While the filter prompt is open, keys edit the filter text instead.
 */
export function useKeys(store: TuiStore, commands: KeyCommands): void {
  useInput((input: string, key: Key) => {
    // Ink hands over a burst of typed characters (a paste, a fast or remote typist) as one string:
    // take it character by character, Enter and Tab included.
    if (input.length > 1 && !key.ctrl && !key.meta) {
      for (const ch of input) handleKey(store, commands, ch, ch === '\r' ? ENTER : ch === '\t' ? TAB : NO_KEY);
    } else handleKey(store, commands, input, key);
  });
}

const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false,
  end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false,
  meta: false, super: false, hyper: false, capsLock: false, numLock: false,
};
const ENTER: Key = { ...NO_KEY, return: true };
const TAB: Key = { ...NO_KEY, tab: true };

function handleKey(store: TuiStore, commands: KeyCommands, input: string, key: Key): void {
  if (key.ctrl && input === 'c') return commands.quit();
  const ui = store.getSnapshot().ui;
  if (ui.prompt !== null) return promptKey(store, ui.prompt, input, key);
  const d = store.dispatch.bind(store);
  if (key.upArrow || input === 'k') d({ type: 'move', delta: -1 });
  else if (key.downArrow || input === 'j') d({ type: 'move', delta: 1 });
  else if (key.pageUp) d({ type: 'page', pages: -1 });
  else if (key.pageDown) d({ type: 'page', pages: 1 });
  else if (key.home || input === 'g') d({ type: 'home' });
  else if (key.end || input === 'G') d({ type: 'end' });
  else if (key.leftArrow || input === 'h') d({ type: 'layer', step: -1 });
  else if (key.rightArrow || input === 'l') d({ type: 'layer', step: 1 });
  else if (key.return) d({ type: 'toggleDetail' });
  else if (key.tab) d({ type: 'cycleView', step: key.shift ? -1 : 1 });
  else if (key.escape) d({ type: 'escape' });
  else if (input === ' ') d({ type: 'togglePause' });
  else if (input === '/') d({ type: 'promptOpen' });
  else if (input === 't') d({ type: 'toggleTime' });
  else if (input === '?') d({ type: 'toggleHelp' });
  else if (input === 'w') commands.save();
  else if (input === 'q') commands.quit();
}

function promptKey(store: TuiStore, text: string, input: string, key: Key): void {
  if (key.return) store.applyFilter(text);
  else if (key.escape) store.dispatch({ type: 'escape' });
  else if (key.backspace || key.delete) store.dispatch({ type: 'promptEdit', text: text.slice(0, -1) });
  else if (input && !key.ctrl && !key.meta && !key.tab && !key.upArrow && !key.downArrow) {
    store.dispatch({ type: 'promptEdit', text: text + input });
  }
}
