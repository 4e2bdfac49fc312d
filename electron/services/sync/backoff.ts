/**
 * Exponential backoff with "equal jitter": the n-th wait is between half and all of
 * min(cap, base·2ⁿ), so desks that lost the PACS together do not come back in step, and a wait
 * never shrinks to nothing (which would turn an outage into a hot loop).
 */
import { randomInt } from 'node:crypto';

export interface BackoffPolicy {
  readonly baseMs: number;
  readonly capMs: number;
}

/** `n` = how many tries already failed (0 → about base). */
export function backoffDelay(policy: BackoffPolicy, n: number, random: (maxExclusive: number) => number = randomInt): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(Math.max(n, 0), 30));
  const half = Math.floor(ceiling / 2);
  return ceiling - half + random(half + 1);
}
