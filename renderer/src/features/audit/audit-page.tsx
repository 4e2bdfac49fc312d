/**
 * Nhật ký / Audit: the desk's append-only, hash-chained record of who did what to which
 * patient/study, newest first, 100 at a time; "Kiểm tra chuỗi / Verify chain" recomputes the
 * chain in the core and names the first broken record if any.
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditRecord } from '../../../../shared/contract/foundation';
import { ErrorBox } from '../../app/error-text';
import { Loading } from '../../app/loading';
import type { DeskCallError } from '../../lib/desk-call-error';
import { formatDateTimeSeconds } from '../../lib/format';
import { deskQueryKey, useDeskClient, useDeskMutation, useDeskQuery, useInvalidateOnEvent } from '../../lib/query';
import { formatDetail } from './audit-detail';

const PAGE_SIZE = 100;

export function AuditPage() {
  const { t } = useTranslation();
  const client = useDeskClient();
  const [actionInput, setActionInput] = useState('');
  const [action, setAction] = useState('');
  const filter = action === '' ? {} : { action };
  const records = useInfiniteQuery<
    { items: AuditRecord[] },
    DeskCallError,
    { pages: { items: AuditRecord[] }[] },
    readonly unknown[],
    number | null
  >({
    queryKey: deskQueryKey('audit.list', filter),
    queryFn: ({ pageParam }) =>
      client.call('audit.list', { limit: PAGE_SIZE, ...filter, ...(pageParam === null ? {} : { beforeSeq: pageParam }) }),
    initialPageParam: null,
    getNextPageParam: (last) => (last.items.length === PAGE_SIZE ? (last.items.at(-1)?.seq ?? null) : null),
  });
  // A settings change writes an audit record: show it without a reload.
  useInvalidateOnEvent('settings.changed', ['audit.list']);
  const operators = useDeskQuery('operators.list', {});
  const names = useMemo(() => new Map(operators.data?.items.map((o) => [o.id, o.name])), [operators.data]);
  const rows = records.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{t('nav.audit')}</h1>
      <div className="toolbar">
        <form
          className="toolbar-form"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            setAction(actionInput.trim());
          }}
        >
          <label htmlFor="audit-action">{t('audit.filterAction')}</label>
          <input
            id="audit-action"
            type="search"
            placeholder="settings.update"
            spellCheck={false}
            value={actionInput}
            onChange={(e) => setActionInput(e.target.value)}
          />
          <button type="submit">{t('audit.filter')}</button>
        </form>
        <span className="status-spacer" />
        <VerifyChain />
      </div>
      {records.isPending && <Loading />}
      {records.isError && <ErrorBox error={records.error} />}
      {records.isSuccess && rows.length === 0 && (
        <p className="empty" role="status">
          {t('audit.empty')}
        </p>
      )}
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table audit-table">
            <caption className="visually-hidden">{t('nav.audit')}</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('audit.time')}</th>
                <th scope="col">{t('audit.operator')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.outcome')}</th>
                <th scope="col">{t('audit.patient')}</th>
                <th scope="col">{t('audit.study')}</th>
                <th scope="col">{t('audit.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.seq}>
                  <td className="num">{r.seq}</td>
                  <td className="nowrap">{formatDateTimeSeconds(r.at)}</td>
                  <td>{r.operatorId === null ? t('audit.system') : (names.get(r.operatorId) ?? r.operatorId)}</td>
                  <td>
                    <code>{r.action}</code>
                  </td>
                  <td>
                    <span className={`pill ${r.outcome === 'ok' ? 'pill-ok' : 'pill-bad'}`}>{t(`audit.outcomes.${r.outcome}`)}</span>
                  </td>
                  <td>{r.patientID ?? '—'}</td>
                  <td className="uid" title={r.studyInstanceUID ?? undefined}>
                    {r.studyInstanceUID ?? '—'}
                  </td>
                  <td className="detail">{formatDetail(r.detail, (id) => names.get(id))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {records.hasNextPage && (
        <button type="button" className="load-more" disabled={records.isFetchingNextPage} onClick={() => void records.fetchNextPage()}>
          {t('audit.loadMore')}
        </button>
      )}
    </section>
  );
}

function VerifyChain() {
  const { t } = useTranslation();
  const verify = useDeskMutation('audit.verify');
  const result = verify.data;
  return (
    <div className="verify">
      <button type="button" disabled={verify.isPending} onClick={() => verify.mutate({})}>
        {t('audit.verify')}
      </button>
      {verify.isError && <ErrorBox error={verify.error} />}
      {result &&
        (result.ok ? (
          <p className="alert alert-ok" role="status">
            {t('audit.chainOk', { checked: result.checked })}
          </p>
        ) : (
          <p className="alert alert-error" role="alert">
            {t('audit.chainBroken', { seq: result.firstBrokenSeq ?? '?', checked: result.checked })}
          </p>
        ))}
    </div>
  );
}
