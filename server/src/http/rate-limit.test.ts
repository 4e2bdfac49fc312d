import { describe, expect, it } from 'vitest';
import { manualClock } from '../../../electron/services/clock';
import { createRateLimiter } from './rate-limit';

describe('per-key token bucket', () => {
  it('allows a minute’s allowance at once, then refills with time', () => {
    const clock = manualClock();
    const rl = createRateLimiter({ perMinute: 6, clock });
    for (let i = 0; i < 6; i++) expect(rl.take('a')).toBe(true);
    expect(rl.take('a')).toBe(false);
    expect(rl.retryAfter('a')).toBe(10);
    expect(rl.take('b')).toBe(true); // another client is not affected
    clock.advance(10_000);
    expect(rl.take('a')).toBe(true);
    expect(rl.take('a')).toBe(false);
  });

  it('stays bounded in memory', () => {
    const clock = manualClock();
    const rl = createRateLimiter({ perMinute: 1, clock, maxKeys: 10 });
    for (let i = 0; i < 100; i++) rl.take(`k${i}`);
    // the most recent keys are still limited: their buckets were kept
    expect(rl.take('k99')).toBe(false);
  });
});
