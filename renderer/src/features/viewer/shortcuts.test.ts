import { describe, expect, it } from 'vitest';
import { actionFor, SHORTCUTS, VIEWER_ACTIONS } from './shortcuts';

describe('viewer shortcuts', () => {
  it('gives every action a key and no key two actions', () => {
    expect(new Set(SHORTCUTS.map((s) => s.action))).toEqual(new Set(VIEWER_ACTIONS));
    const keys = SHORTCUTS.flatMap((s) => s.keys.map((k) => (k.length === 1 ? k.toLowerCase() : k)));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('matches letters in either case and named keys exactly', () => {
    expect(actionFor({ key: 'R', shift: true })).toBe('rotate');
    expect(actionFor({ key: 'r', shift: false })).toBe('rotate');
    expect(actionFor({ key: 'ArrowRight', shift: false })).toBe('nextImage');
    expect(actionFor({ key: 'q', shift: false })).toBeNull();
  });
});
