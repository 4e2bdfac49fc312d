/**
 * Studies that have no visit yet ("cần gán lượt khám"): just arrived (`new`, more views may still
 * come) or waiting for the operator (`needs-visit`). `studies.list` filters one state at a time,
 * so this asks for both and merges them, newest first.
 */
import type { StudyListItem } from '../../../../shared/contract/ingest';
import { useDeskQuery, useInvalidateOnEvent } from '../../lib/query';

export function useUnattachedStudies(): { items: StudyListItem[]; isPending: boolean; error: unknown } {
  const fresh = useDeskQuery('studies.list', { state: 'new', limit: 200 });
  const waiting = useDeskQuery('studies.list', { state: 'needs-visit', limit: 200 });
  useInvalidateOnEvent('studies.changed', ['studies.list']);
  useInvalidateOnEvent('visits.changed', ['studies.list']);
  const items = [...(fresh.data?.items ?? []), ...(waiting.data?.items ?? [])]
    .filter((s) => s.visitId === null)
    .sort((a, b) => b.lastReceivedAt - a.lastReceivedAt);
  return { items, isPending: fresh.isPending || waiting.isPending, error: fresh.error ?? waiting.error };
}
