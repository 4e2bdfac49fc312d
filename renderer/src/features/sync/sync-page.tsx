/**
 * Đồng bộ / Sync: is everything reaching the PACS? The outbox summary with throughput and ETA,
 * one progress bar per study, the studies held for lack of a visit (release), the records outbox
 * to the clinic server, and the quarantine of refused files with the intake counters.
 *
 * Liveness: `sync.state` events refresh the summary, `sync.progress` events move the bars and
 * give the throughput; the per-study list is re-read every few seconds while anything moves.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBox } from '../../app/error-text';
import { Loading } from '../../app/loading';
import { useDeskEvent, useDeskQuery, useInvalidateOnEvent } from '../../lib/query';
import { QuarantinePanel } from '../quarantine';
import { RecordsPanel } from './records-panel';
import { ReleasePanel } from './release-panel';
import { SyncStudyTable } from './sync-study-table';
import { SyncSummary } from './sync-summary';
import { addProgress, liveRate, NO_PROGRESS, type LiveProgress } from './throughput';
import { useNow } from './use-now';
import { useSyncStatus } from './use-sync-status';
import './sync.css';

const BUSY_POLL_MS = 4000;
const IDLE_POLL_MS = 30_000;

export function SyncPage() {
  const { t } = useTranslation();
  const status = useSyncStatus();
  const [unresolvedOnly, setUnresolvedOnly] = useState(true);
  const [live, setLive] = useState<LiveProgress>(NO_PROGRESS);
  useDeskEvent('sync.progress', (p) => setLive((s) => addProgress(s, p, Date.now())));
  useInvalidateOnEvent('studies.changed', ['sync.list']);
  useInvalidateOnEvent('visits.changed', ['sync.list']);

  const moving = (status.data?.pending ?? 0) + (status.data?.sending ?? 0) + (status.data?.sent ?? 0) > 0;
  const list = useDeskQuery('sync.list', { unresolvedOnly, limit: 200 }, { refetchInterval: moving ? BUSY_POLL_MS : IDLE_POLL_MS });
  const now = useNow(1000, moving);
  const rate = liveRate(live, now);

  return (
    <section className="page sync-page" aria-labelledby="page-title">
      <h1 id="page-title">{t('sync.title')}</h1>
      {status.isPending && <Loading />}
      {status.isError && <ErrorBox error={status.error} />}
      {status.data && <SyncSummary status={status.data} rate={rate} />}

      <section className="panel" aria-labelledby="sync-studies-title">
        <div className="sync-studies-head">
          <h2 id="sync-studies-title">{t('sync.table.title')}</h2>
          <label className="inline-check">
            <input type="checkbox" checked={unresolvedOnly} onChange={(e) => setUnresolvedOnly(e.target.checked)} />
            {t('sync.table.unresolvedOnly')}
          </label>
          {list.data && <span className="list-count">{t('sync.table.count', { count: list.data.total })}</span>}
        </div>
        {list.isError && <ErrorBox error={list.error} />}
        {list.data &&
          (list.data.items.length === 0 ? (
            <p className="field-help">{t(unresolvedOnly ? 'sync.table.allDone' : 'sync.table.none')}</p>
          ) : (
            <SyncStudyTable rows={list.data.items} live={live} listAt={list.dataUpdatedAt} now={now} />
          ))}
      </section>

      <ReleasePanel />
      <RecordsPanel />
      <QuarantinePanel />
    </section>
  );
}
