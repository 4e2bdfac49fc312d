/**
 * Làm mới worklist: asks the worklist (MWL C-FIND, PS3.4 Annex K) now instead of waiting for the
 * periodic refresh. When the worklist cannot be reached the list below keeps showing the visits
 * cached at the desk, and this says so plainly — the technician keeps working.
 *
 * The time of the last refresh is the last one asked from this screen in this session: the
 * contract has no "last refreshed at" for the background refreshes (see the report to the lead).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../app/error-text';
import { formatDateTime } from '../../lib/format';
import { deskQueryKey, useDeskMutation } from '../../lib/query';

interface LastRefresh {
  readonly at: number;
  readonly ok: boolean;
  readonly fetched: number;
  /** Orders of the day the worklist no longer holds (cancelled on the RIS/HIS). */
  readonly withdrawn: number;
}

// The outcome outlives the page (moving to a visit and back keeps it), not the window.
let last: LastRefresh | null = null;
const listeners = new Set<() => void>();
function setLast(next: LastRefresh) {
  last = next;
  for (const l of listeners) l();
}
function subscribe(fn: () => void) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function WorklistRefresh() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const lastRefresh = useSyncExternalStore(subscribe, () => last);
  const refresh = useDeskMutation('visits.refresh', {
    onSuccess: (r) => {
      setLast({ at: Date.now(), ok: true, fetched: r.fetched, withdrawn: r.withdrawn });
      void queryClient.invalidateQueries({ queryKey: deskQueryKey('visits.list') });
    },
    onError: () => setLast({ at: Date.now(), ok: false, fetched: 0, withdrawn: 0 }),
  });

  return (
    <div className="worklist-refresh">
      <button type="button" onClick={() => refresh.mutate({})} disabled={refresh.isPending} data-testid="worklist-refresh">
        {refresh.isPending ? t('visits.worklist.refreshing') : t('visits.worklist.refresh')}
      </button>
      <span className="worklist-last" role="status">
        {lastRefresh
          ? lastRefresh.ok
            ? t('visits.worklist.lastOk', { at: formatDateTime(lastRefresh.at), n: lastRefresh.fetched }) +
              (lastRefresh.withdrawn > 0 ? ` — ${t('visits.worklist.withdrawn', { count: lastRefresh.withdrawn })}` : '')
            : t('visits.worklist.lastFailed', { at: formatDateTime(lastRefresh.at) })
          : t('visits.worklist.notThisSession')}
      </span>
      {refresh.isError && (
        <p className="alert alert-error worklist-error" role="alert">
          {errorText(refresh.error)} — {t('visits.worklist.cachedShown')}
        </p>
      )}
    </div>
  );
}
