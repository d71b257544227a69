/**
 * What the user is looking at, as a pure reducer: the store owns the frames, this owns the
 * selection, scrolling and modes. List positions are absolute (see MatchList / FrameRing) so they
 * survive old frames leaving the ring; the reducer only needs the list's current bounds.
 */
export type View = 'list' | 'conversations' | 'topology';
const VIEWS: readonly View[] = ['list', 'conversations', 'topology'];

export interface UiState {
  view: View;
  detail: boolean;
  help: boolean;
  /** Selection sticks to the newest frame as frames arrive. */
  following: boolean;
  /** Display frozen at `pausedEnd`; frames keep arriving into the store. */
  paused: boolean;
  pausedEnd: number;
  /** Selected list position, -1 when the list is empty. */
  selected: number;
  /** First list position on screen. */
  top: number;
  /** Rows the frame list has on screen (set by the layout). */
  listRows: number;
  /** Layer highlighted in the detail pane and hex dump. */
  layer: number;
  relativeTime: boolean;
  /** Filter text being typed after `/`, null when the prompt is closed. */
  prompt: string | null;
  /** Filter in force ('' for none). */
  filter: string;
  status: string;
}

export type Action =
  | { type: 'move'; delta: number }
  | { type: 'page'; pages: number }
  | { type: 'home' }
  | { type: 'end' }
  | { type: 'toggleDetail' }
  | { type: 'cycleView'; step: 1 | -1 }
  | { type: 'togglePause' }
  | { type: 'toggleTime' }
  | { type: 'toggleHelp' }
  | { type: 'escape' }
  | { type: 'layer'; step: 1 | -1 }
  | { type: 'listRows'; rows: number }
  | { type: 'promptOpen' }
  | { type: 'promptEdit'; text: string }
  | { type: 'filterApplied'; text: string }
  | { type: 'status'; text: string }
  /** Frames arrived or left the ring: re-clamp the selection (and follow the tail). */
  | { type: 'frames' };

/** The list's bounds as the store holds them: positions [first, end). */
export interface ListBounds {
  first: number;
  end: number;
}

export function initialUiState(filter = ''): UiState {
  return {
    view: 'list', detail: false, help: false, following: true, paused: false, pausedEnd: 0,
    selected: -1, top: 0, listRows: 10, layer: 0, relativeTime: false, prompt: null, filter, status: '',
  };
}

/** End of the list as displayed: frozen while paused. */
export function visibleEnd(s: UiState, list: ListBounds): number {
  return s.paused ? Math.max(list.first, Math.min(s.pausedEnd, list.end)) : list.end;
}

/** Puts `selected` at `target` (clamped) and scrolls just enough to keep it on screen. */
function select(s: UiState, list: ListBounds, target: number, following: boolean): UiState {
  const end = visibleEnd(s, list);
  const rows = Math.max(1, s.listRows);
  if (end <= list.first) return { ...s, following, selected: -1, top: list.first };
  const selected = Math.min(end - 1, Math.max(list.first, target));
  let top = Math.max(list.first, s.top);
  if (selected < top) top = selected;
  if (selected >= top + rows) top = selected - rows + 1;
  if (top + rows > end) top = Math.max(list.first, end - rows);
  const layer = selected === s.selected ? s.layer : 0;
  return { ...s, following, selected, top, layer };
}

export function uiReducer(s: UiState, a: Action, list: ListBounds): UiState {
  switch (a.type) {
    case 'move':
      return select(s, list, (s.selected < 0 ? list.first : s.selected) + a.delta, false);
    case 'page':
      return select(s, list, (s.selected < 0 ? list.first : s.selected) + a.pages * Math.max(1, s.listRows - 1), false);
    case 'home':
      return select(s, list, list.first, false);
    case 'end':
      return select({ ...s, paused: false }, list, list.end - 1, true);
    case 'frames':
      return s.following ? select(s, list, visibleEnd(s, list) - 1, true) : select(s, list, s.selected, false);
    case 'toggleDetail':
      return { ...s, detail: !s.detail, layer: 0 };
    case 'cycleView': {
      const i = VIEWS.indexOf(s.view);
      return { ...s, view: VIEWS[(i + a.step + VIEWS.length) % VIEWS.length] };
    }
    case 'togglePause':
      return s.paused ? select({ ...s, paused: false }, list, s.following ? list.end - 1 : s.selected, s.following)
        : { ...s, paused: true, pausedEnd: list.end };
    case 'toggleTime':
      return { ...s, relativeTime: !s.relativeTime };
    case 'toggleHelp':
      return { ...s, help: !s.help };
    case 'escape':
      if (s.help) return { ...s, help: false };
      if (s.prompt !== null) return { ...s, prompt: null };
      if (s.filter !== '') return s; // the store clears the filter (it owns the match list)
      return { ...s, detail: false };
    case 'layer':
      return { ...s, layer: Math.max(0, s.layer + a.step) };
    case 'listRows':
      return a.rows === s.listRows ? s : select({ ...s, listRows: a.rows }, list, s.following ? list.end - 1 : s.selected, s.following);
    case 'promptOpen':
      return { ...s, prompt: s.filter, help: false };
    case 'promptEdit':
      return { ...s, prompt: a.text };
    case 'filterApplied': {
      const next = { ...s, filter: a.text, prompt: null, status: '', top: list.first, selected: -1, paused: false };
      return s.following ? select(next, list, list.end - 1, true) : select(next, list, list.first, false);
    }
    case 'status':
      return { ...s, status: a.text };
  }
}
