/**
 * Enter in a visit search box (a barcode scanner ends every code with Enter): search the typed
 * code itself, at once — a scanner is faster than the list's debounce — and pick what it
 * designates (visit-match.ts). A failed search picks nothing; the list shows the error.
 */
import { useCallback } from 'react';
import type { VisitSummary } from '../../../../shared/contract/visits';
import { useDeskClient } from '../../lib/query';
import { pickOnEnter } from './visit-match';

export function useVisitLookup(): (day: string, code: string, excludeId?: string) => Promise<VisitSummary | null> {
  const client = useDeskClient();
  return useCallback(
    async (day, code, excludeId) => {
      const trimmed = code.trim();
      if (trimmed === '') return null;
      const found = await client.call('visits.list', { date: day, text: trimmed, limit: 50 }).catch(() => null);
      return pickOnEnter(trimmed, (found?.items ?? []).filter((v) => v.id !== excludeId));
    },
    [client],
  );
}
