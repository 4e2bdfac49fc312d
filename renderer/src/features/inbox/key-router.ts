/**
 * One keyboard door for the workstation: single-key shortcuts for the viewer, and the barcode
 * scanner. A USB barcode scanner is a "keyboard wedge": it types the code's characters a few
 * milliseconds apart and presses Enter. A person cannot type that fast, so a burst of characters
 * ending in Enter is a scan, and each character of it must NOT also run as a shortcut (a patient
 * ID "BN-2041" would otherwise rotate, flip and change the window).
 *
 *   printable key ──▶ buffer ──(no next key within burstGapMs)──▶ shortcut(s), one per key
 *                       │
 *                       └──(Enter within burstGapMs of the last key, ≥ minScanLength chars)──▶ scan(code)
 *
 * A held single key therefore runs burstGapMs late (≈ 40 ms, below what a person notices).
 * Keys with Ctrl/Alt/Meta and non-printable keys (arrows, Escape, F-keys) pass at once.
 * Keys typed into a text field belong to the field: the router ignores them.
 */
export interface RoutedKey {
  readonly key: string;
  readonly shift: boolean;
}

export interface KeyRouterOptions {
  onShortcut(key: RoutedKey): void;
  onScan(code: string): void;
  burstGapMs?: number;
  minScanLength?: number;
  /** Injected by tests; the page's timers otherwise. */
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  now?: () => number;
}

export interface KeyLike {
  readonly key: string;
  /**
   * When the key was pressed (`KeyboardEvent.timeStamp`, same clock as performance.now()). Used
   * rather than the time of handling: while the page is busy, keys queue up and would otherwise
   * look further apart, or closer together, than they were typed.
   */
  readonly timeStamp?: number;
  readonly shiftKey: boolean;
  readonly ctrlKey: boolean;
  readonly altKey: boolean;
  readonly metaKey: boolean;
  readonly repeat?: boolean;
}

export interface KeyRouter {
  /** Returns true when the key was taken (the caller then prevents the browser's default). */
  handle(e: KeyLike): boolean;
  dispose(): void;
}

export const BURST_GAP_MS = 40;
export const MIN_SCAN_LENGTH = 3;

export function createKeyRouter(opts: KeyRouterOptions): KeyRouter {
  const gap = opts.burstGapMs ?? BURST_GAP_MS;
  const minScan = opts.minScanLength ?? MIN_SCAN_LENGTH;
  const setTimer = opts.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  const now = opts.now ?? (() => performance.now());
  let buffer: RoutedKey[] = [];
  let lastAt = 0;
  let timer: unknown = null;

  function flushAsShortcuts(): void {
    if (timer !== null) clearTimer(timer);
    timer = null;
    const keys = buffer;
    buffer = [];
    for (const k of keys) opts.onShortcut(k);
  }

  return {
    handle(e) {
      if (e.ctrlKey || e.altKey || e.metaKey) return false;
      const t = e.timeStamp ?? now();
      if (e.key === 'Enter') {
        if (buffer.length >= minScan && t - lastAt <= gap) {
          if (timer !== null) clearTimer(timer);
          timer = null;
          const code = buffer.map((k) => k.key).join('');
          buffer = [];
          opts.onScan(code);
          return true;
        }
        flushAsShortcuts();
        opts.onShortcut({ key: 'Enter', shift: e.shiftKey });
        return true;
      }
      if (e.key.length !== 1) {
        flushAsShortcuts();
        opts.onShortcut({ key: e.key, shift: e.shiftKey });
        return true;
      }
      if (e.repeat) return true;
      if (buffer.length > 0 && t - lastAt > gap) flushAsShortcuts();
      buffer.push({ key: e.key, shift: e.shiftKey });
      lastAt = t;
      if (timer !== null) clearTimer(timer);
      timer = setTimer(flushAsShortcuts, gap);
      return true;
    },
    dispose() {
      if (timer !== null) clearTimer(timer);
      timer = null;
      buffer = [];
    },
  };
}

/** A keydown inside a text field, a select or an editable element belongs to that control. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['button', 'checkbox', 'radio', 'range', 'submit', 'reset', 'color', 'file', 'image'].includes(type);
}
