import { describe, expect, it } from 'vitest';
import { createKeyRouter, type KeyLike, type RoutedKey } from './key-router';

/** A router on a hand-driven clock and timer queue, so bursts are exact and nothing sleeps. */
function harness() {
  let t = 0;
  let pending: { fn: () => void; at: number } | null = null;
  const shortcuts: RoutedKey[] = [];
  const scans: string[] = [];
  const router = createKeyRouter({
    onShortcut: (k) => shortcuts.push(k),
    onScan: (c) => scans.push(c),
    now: () => t,
    setTimer: (fn, ms) => (pending = { fn, at: t + ms }),
    clearTimer: () => (pending = null),
  });
  const key = (k: string, extra: Partial<KeyLike> = {}): KeyLike => ({ key: k, shiftKey: false, ctrlKey: false, altKey: false, metaKey: false, ...extra });
  return {
    shortcuts,
    scans,
    press(k: string, extra: Partial<KeyLike> = {}) {
      return router.handle(key(k, extra));
    },
    advance(ms: number) {
      t += ms;
      if (pending && pending.at <= t) {
        const p = pending;
        pending = null;
        p.fn();
      }
    },
  };
}

describe('key router', () => {
  it('turns a fast burst ending in Enter into one scan, with no shortcut fired', () => {
    const h = harness();
    for (const c of 'BN-2041') {
      h.press(c);
      h.advance(8);
    }
    h.press('Enter');
    h.advance(100);
    expect(h.scans).toEqual(['BN-2041']);
    expect(h.shortcuts).toEqual([]);
  });

  it('runs a single key as a shortcut once the burst window has passed', () => {
    const h = harness();
    h.press('r');
    expect(h.shortcuts).toEqual([]);
    h.advance(40);
    expect(h.shortcuts).toEqual([{ key: 'r', shift: false }]);
  });

  it('treats keys typed at human speed as separate shortcuts, and a slow Enter as Enter', () => {
    const h = harness();
    for (const c of 'abc') {
      h.press(c);
      h.advance(150);
    }
    h.press('Enter');
    expect(h.scans).toEqual([]);
    expect(h.shortcuts.map((k) => k.key)).toEqual(['a', 'b', 'c', 'Enter']);
  });

  it('does not call two quick keys without Enter a scan, and ignores codes shorter than 3', () => {
    const h = harness();
    h.press('1');
    h.advance(5);
    h.press('2');
    h.advance(5);
    h.press('Enter');
    expect(h.scans).toEqual([]);
    expect(h.shortcuts.map((k) => k.key)).toEqual(['1', '2', 'Enter']);
  });

  it('judges a burst by when the keys were pressed, not when a busy page got to them', () => {
    const h = harness();
    // Typed 8 ms apart, but handled after a 300 ms stall of the page.
    h.advance(300);
    'BN-7'.split('').forEach((c, i) => h.press(c, { timeStamp: i * 8 }));
    h.press('Enter', { timeStamp: 32 });
    expect(h.scans).toEqual(['BN-7']);
    expect(h.shortcuts).toEqual([]);
  });

  it('passes arrows at once and leaves modified keys to the browser', () => {
    const h = harness();
    expect(h.press('ArrowRight')).toBe(true);
    expect(h.shortcuts).toEqual([{ key: 'ArrowRight', shift: false }]);
    expect(h.press('r', { ctrlKey: true })).toBe(false);
    h.advance(100);
    expect(h.shortcuts).toHaveLength(1);
  });
});
