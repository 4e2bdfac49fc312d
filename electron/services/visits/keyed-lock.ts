/**
 * One operation at a time per key (a StudyInstanceUID): an automatic match after an arrival and
 * an operator's attach of the same study must not interleave between reading its state and
 * committing the corrected copies.
 */
export interface KeyedLock {
  run<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T>;
}

export function createKeyedLock(): KeyedLock {
  const tails = new Map<string, Promise<unknown>>();
  return {
    async run(keys, fn) {
      // Sorted and deduplicated, so two callers locking overlapping sets cannot deadlock.
      const sorted = [...new Set(keys)].sort();
      const previous = sorted.map((k) => tails.get(k) ?? Promise.resolve());
      const result = Promise.allSettled(previous).then(fn);
      const tail = result.catch(() => undefined);
      for (const k of sorted) tails.set(k, tail);
      try {
        return await result;
      } finally {
        for (const k of sorted) if (tails.get(k) === tail) tails.delete(k);
      }
    },
  };
}
