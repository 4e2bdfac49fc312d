/**
 * A per-key token bucket (capacity = one minute's allowance, refilled continuously) on the
 * injected clock. Bounded memory: when the table is full, buckets that have refilled completely
 * are dropped first, then the oldest.
 */
import type { Clock } from '../../../electron/services/clock';

export interface RateLimiter {
  /** Takes one token for `key`; false → the caller answers 429. */
  take(key: string): boolean;
  /** Seconds until `key` has a token again (for Retry-After). */
  retryAfter(key: string): number;
}

export function createRateLimiter(opts: { perMinute: number; clock: Clock; maxKeys?: number }): RateLimiter {
  const capacity = opts.perMinute;
  const perMs = opts.perMinute / 60_000;
  const maxKeys = opts.maxKeys ?? 50_000;
  const buckets = new Map<string, { tokens: number; at: number }>();

  const current = (key: string): { tokens: number; at: number } => {
    const now = opts.clock.now();
    const b = buckets.get(key);
    if (!b) return { tokens: capacity, at: now };
    return { tokens: Math.min(capacity, b.tokens + (now - b.at) * perMs), at: now };
  };

  const evict = () => {
    for (const [k] of buckets) {
      if (current(k).tokens >= capacity) buckets.delete(k);
      if (buckets.size < maxKeys) return;
    }
    const oldest = buckets.keys().next();
    if (!oldest.done) buckets.delete(oldest.value);
  };

  return {
    take(key) {
      const b = current(key);
      if (!buckets.has(key) && buckets.size >= maxKeys) evict();
      buckets.delete(key); // re-insert: Map order is then least-recently-used first
      if (b.tokens < 1) {
        buckets.set(key, b);
        return false;
      }
      buckets.set(key, { tokens: b.tokens - 1, at: b.at });
      return true;
    },
    retryAfter(key) {
      const b = current(key);
      return b.tokens >= 1 ? 0 : Math.ceil((1 - b.tokens) / perMs / 1000);
    },
  };
}
