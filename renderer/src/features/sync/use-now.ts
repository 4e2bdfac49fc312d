/** The current time, re-read every `ms` while `active` (ETAs counting down); frozen otherwise. */
import { useEffect, useState } from 'react';

export function useNow(ms: number, active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms, active]);
  return now;
}
