/**
 * The viewer's keyboard shortcuts: one table, read by the key handler and printed by the help
 * panel, so the two can never disagree. Letters match either case; the UI language does not
 * change the keys (a technician moving between desks keeps the same hands).
 */
import type { RoutedKey } from '../inbox/key-router';

export const VIEWER_ACTIONS = [
  'nextImage',
  'prevImage',
  'nextSeries',
  'prevSeries',
  'presetFile',
  'presetChest',
  'presetSoftTissue',
  'presetBone',
  'toolWindowLevel',
  'toolPan',
  'toolZoom',
  'toolLength',
  'rotate',
  'flipH',
  'flipV',
  'invert',
  'fit',
  'oneToOne',
  'reset',
  'accept',
  'reject',
  'help',
  'close',
] as const;
export type ViewerAction = (typeof VIEWER_ACTIONS)[number];

export interface Shortcut {
  readonly action: ViewerAction;
  /** `KeyboardEvent.key` values; single letters are matched without case. */
  readonly keys: readonly string[];
  /** What the help panel prints, e.g. "→ / PgDn". */
  readonly label: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'nextImage', keys: ['ArrowRight', 'ArrowDown', 'PageDown'], label: '→ ↓ PgDn' },
  { action: 'prevImage', keys: ['ArrowLeft', 'ArrowUp', 'PageUp'], label: '← ↑ PgUp' },
  { action: 'nextSeries', keys: [']'], label: ']' },
  { action: 'prevSeries', keys: ['['], label: '[' },
  { action: 'presetFile', keys: ['1'], label: '1' },
  { action: 'presetChest', keys: ['2'], label: '2' },
  { action: 'presetSoftTissue', keys: ['3'], label: '3' },
  { action: 'presetBone', keys: ['4'], label: '4' },
  { action: 'toolWindowLevel', keys: ['w'], label: 'W' },
  { action: 'toolPan', keys: ['p'], label: 'P' },
  { action: 'toolZoom', keys: ['z'], label: 'Z' },
  { action: 'toolLength', keys: ['l'], label: 'L' },
  { action: 'rotate', keys: ['r'], label: 'R' },
  { action: 'flipH', keys: ['h'], label: 'H' },
  { action: 'flipV', keys: ['v'], label: 'V' },
  { action: 'invert', keys: ['i'], label: 'I' },
  { action: 'fit', keys: ['f'], label: 'F' },
  { action: 'oneToOne', keys: ['0'], label: '0' },
  { action: 'reset', keys: ['Home', 'Backspace'], label: 'Home ⌫' },
  { action: 'accept', keys: ['a'], label: 'A' },
  { action: 'reject', keys: ['x'], label: 'X' },
  { action: 'help', keys: ['?', 'F1'], label: '? F1' },
  { action: 'close', keys: ['Escape'], label: 'Esc' },
];

const byKey = new Map<string, ViewerAction>();
for (const s of SHORTCUTS) for (const k of s.keys) byKey.set(k.length === 1 ? k.toLowerCase() : k, s.action);

export function actionFor(key: RoutedKey): ViewerAction | null {
  return byKey.get(key.key.length === 1 ? key.key.toLowerCase() : key.key) ?? null;
}
