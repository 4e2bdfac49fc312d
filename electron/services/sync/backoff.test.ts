import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('backoff', () => {
  const policy = { baseMs: 2000, capMs: 60_000 };

  it('doubles, stays between half and all of the ceiling, and is capped', () => {
    const low = (n: number) => backoffDelay(policy, n, () => 0);
    const high = (n: number) => backoffDelay(policy, n, (max) => max - 1);
    expect([low(0), high(0)]).toEqual([1000, 2000]);
    expect([low(1), high(1)]).toEqual([2000, 4000]);
    expect([low(3), high(3)]).toEqual([8000, 16000]);
    expect([low(10), high(10)]).toEqual([30_000, 60_000]);
    expect(high(1000)).toBe(60_000);
  });

  it('jitters with a real random source', () => {
    const seen = new Set(Array.from({ length: 50 }, () => backoffDelay(policy, 4)));
    expect(seen.size).toBeGreaterThan(10);
    for (const d of seen) expect(d >= 16_000 && d <= 32_000).toBe(true);
  });
});
