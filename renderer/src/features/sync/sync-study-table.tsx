/**
 * One row per study on its way to the PACS: who, how many images acknowledged, a progress bar
 * (bytes acknowledged, moved live by `sync.progress` events), the study's ETA, where it is stuck
 * and why (bilingual), and "Gửi lại ngay" for a study with failed or backing-off images.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { StudySync } from '../../../../shared/contract/sync';
import { ErrorBox } from '../../app/error-text';
import { currentLanguage } from '../../i18n/i18n';
import { formatBytes, formatTime } from '../../lib/format';
import { routeHref } from '../../lib/hash-route';
import { deskQueryKey, useDeskMutation } from '../../lib/query';
import { formatDa } from '../viewer/dicom-text';
import { personName } from '../visits/visit-format';
import { formatDuration, rowProgress, type LiveProgress } from './throughput';

type RowState = 'failed' | 'needs-visit' | 'held' | 'sending' | 'waiting' | 'verifying' | 'verified';
const TONE: Record<RowState, string> = { failed: 'bad', 'needs-visit': 'warn', held: 'idle', sending: 'info', waiting: 'idle', verifying: 'info', verified: 'ok' };

/** The one word for where a study stands in the outbox (first match wins). */
export function rowState(r: StudySync): RowState {
  const c = r.counts;
  if (c.failed > 0) return 'failed';
  if (c.sending > 0) return 'sending';
  if (c.pending > 0) return 'waiting';
  if (c.held > 0) return r.releasedAt === null ? 'needs-visit' : 'held';
  if (c.sent > 0) return 'verifying';
  return 'verified';
}

export function SyncStudyTable({ rows, live, listAt, now }: { rows: readonly StudySync[]; live: LiveProgress; listAt: number; now: number }) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n);
  const queryClient = useQueryClient();
  const retry = useDeskMutation('sync.retry', {
    onSuccess: () => {
      for (const m of ['sync.status', 'sync.list'] as const) void queryClient.invalidateQueries({ queryKey: deskQueryKey(m) });
    },
  });

  return (
    <>
      <div className="table-wrap">
        <table className="table sync-table" data-testid="sync-studies">
          <thead>
            <tr>
              <th scope="col">{t('sync.table.patient')}</th>
              <th scope="col">{t('sync.table.studyDate')}</th>
              <th scope="col">{t('sync.table.state')}</th>
              <th scope="col" className="sync-progress-col">
                {t('sync.table.progress')}
              </th>
              <th scope="col">{t('sync.table.eta')}</th>
              <th scope="col">{t('sync.table.problem')}</th>
              <th scope="col">{t('sync.table.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const p = rowProgress(r, live, listAt, now);
              const state = rowState(r);
              const percent = Math.round(p.fraction * 100);
              const canRetry = r.counts.failed > 0 || r.nextAttemptAt !== null;
              return (
                <tr key={r.studyInstanceUID} data-study-uid={r.studyInstanceUID} data-state={state}>
                  <td>
                    <span lang="vi" className="sync-name">
                      {personName(r.patientName)}
                    </span>
                    <span className="cell-sub">{[r.patientID, r.accessionNumber].filter(Boolean).join(' · ')}</span>
                  </td>
                  <td className="nowrap">{formatDa(r.studyDate)}</td>
                  <td>
                    <span className={`pill sync-pill-${TONE[state]}`}>{t(`sync.rowState.${state}`)}</span>
                  </td>
                  <td>
                    <div className="sync-progress">
                      <progress max={1} value={p.fraction} aria-label={t('sync.table.progressOf', { name: personName(r.patientName) })} />
                      <span className="sync-progress-text">
                        {t('sync.table.images', { done: p.sent, total: p.total })} · {percent}%
                      </span>
                      <span className="cell-sub">
                        {formatBytes(p.bytesDone, lang)} / {formatBytes(p.bytesTotal, lang)}
                      </span>
                    </div>
                  </td>
                  <td className="nowrap">{p.eta === null ? '—' : formatDuration(p.eta, lang)}</td>
                  <td className="sync-problem">
                    {r.lastError && <span data-code={r.lastError.code}>{r.lastError[lang]}</span>}
                    {r.nextAttemptAt !== null && <span className="cell-sub">{t('sync.table.nextAttempt', { at: formatTime(r.nextAttemptAt) })}</span>}
                    {state === 'needs-visit' && <a href={routeHref('visits')}>{t('sync.table.attachFirst')}</a>}
                  </td>
                  <td>
                    {canRetry && (
                      <button type="button" onClick={() => retry.mutate({ studyInstanceUIDs: [r.studyInstanceUID] })} disabled={retry.isPending}>
                        {t('sync.retryNow')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {retry.isError && <ErrorBox error={retry.error} />}
    </>
  );
}
