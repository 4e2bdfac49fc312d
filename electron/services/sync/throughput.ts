/**
 * Upload throughput over a sliding window of acknowledged bytes, for the Sync page's bytes/s and
 * ETA. Measured on the injected clock, so a test with a manual clock sees exactly what it sets.
 */
export interface ThroughputMeter {
  record(bytes: number, at: number): void;
  /** Bytes per second over the window ending at `now`; 0 with no data. */
  rate(now: number): number;
}

export function throughputMeter(windowMs = 10_000): ThroughputMeter {
  const samples: { at: number; bytes: number }[] = [];
  let windowStart: number | null = null;
  const trim = (now: number) => {
    while (samples.length && (samples[0] as { at: number }).at < now - windowMs) samples.shift();
  };
  return {
    record(bytes, at) {
      if (windowStart === null || samples.length === 0) windowStart = at;
      samples.push({ at, bytes });
      trim(at);
    },
    rate(now) {
      trim(now);
      if (samples.length === 0 || windowStart === null) return 0;
      const from = Math.max(windowStart, now - windowMs);
      const span = Math.max(now - from, 1000);
      return (samples.reduce((n, s) => n + s.bytes, 0) * 1000) / span;
    },
  };
}
