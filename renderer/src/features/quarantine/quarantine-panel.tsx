/**
 * Cách ly / Quarantine: files the desk would not accept, each with its one reason code, the
 * readable reason, when it came and its size. Nothing is ever deleted from here automatically.
 * "Thử lại" runs a file through the pipeline again (e.g. after the conflicting image was
 * removed); "Xuất tệp" copies its bytes to a folder the operator names (for the vendor or a DICOM
 * tool) — typed, because browser mode cannot open a folder picker — and says where the copy went.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QuarantineItem } from '../../../../shared/contract/ingest';
import { ErrorBox } from '../../app/error-text';
import { currentLanguage } from '../../i18n/i18n';
import { formatBytes, formatDateTime } from '../../lib/format';
import { deskQueryKey, useDeskEvent, useDeskMutation, useDeskQuery } from '../../lib/query';
import { pickLanguage } from './bilingual-text';
import { IngestCounters } from './ingest-counters';
import '../sync/sync.css';

const EXPORT_DIR_KEY = 'desk.quarantineExportDir';

function rememberedDir(): string {
  try {
    return globalThis.localStorage?.getItem(EXPORT_DIR_KEY) ?? '';
  } catch {
    return '';
  }
}

function rememberDir(dir: string): void {
  try {
    globalThis.localStorage?.setItem(EXPORT_DIR_KEY, dir);
  } catch {
    // Storage off: the operator types the folder again next time.
  }
}

export function QuarantinePanel() {
  const { t } = useTranslation();
  const [showResolved, setShowResolved] = useState(false);
  const list = useDeskQuery('quarantine.list', { includeResolved: showResolved, limit: 1000 });
  const queryClient = useQueryClient();
  // Only a file that ends in quarantine changes this list (a burst of accepted files does not).
  useDeskEvent('ingest.progress', (e) => {
    if (e.stage === 'quarantined') void queryClient.invalidateQueries({ queryKey: deskQueryKey('quarantine.list') });
  });
  const items = list.data?.items ?? [];

  return (
    <section className="panel quarantine" aria-labelledby="quarantine-title" data-testid="quarantine">
      <h2 id="quarantine-title">{t('quarantine.title')}</h2>
      <IngestCounters />
      <p className="field-help">{t('quarantine.help')}</p>
      <label className="inline-check">
        <input type="checkbox" checked={showResolved} onChange={(e) => setShowResolved(e.target.checked)} />
        {t('quarantine.showResolved')}
      </label>
      {list.isError && <ErrorBox error={list.error} />}
      {list.data && items.length === 0 && <p className="field-help">{t('quarantine.none')}</p>}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="quarantine-list">
            <thead>
              <tr>
                <th scope="col">{t('quarantine.received')}</th>
                <th scope="col">{t('quarantine.file')}</th>
                <th scope="col">{t('quarantine.reason')}</th>
                <th scope="col">{t('quarantine.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((q) => (
                <QuarantineRow key={q.id} item={q} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

type Action = { kind: 'export'; dir: string } | null;

function QuarantineRow({ item }: { item: QuarantineItem }) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n);
  const queryClient = useQueryClient();
  const [action, setAction] = useState<Action>(null);
  const retry = useDeskMutation('quarantine.retry', {
    onSuccess: () => {
      for (const m of ['quarantine.list', 'ingest.summary', 'studies.list'] as const) void queryClient.invalidateQueries({ queryKey: deskQueryKey(m) });
    },
  });
  const exporter = useDeskMutation('quarantine.export', { onSuccess: (_r, input) => rememberDir(input.toDir) });
  const dirId = `export-dir-${item.id}`;

  return (
    <tr data-quarantine-id={item.id} data-reason={item.reason}>
      <td className="nowrap">{formatDateTime(item.receivedAt)}</td>
      <td>
        <span className="quarantine-name">{item.originalName}</span>
        <span className="cell-sub">{formatBytes(item.size, lang)}</span>
        {item.resolvedAt !== null && <span className="pill pill-ok">{t('quarantine.resolved')}</span>}
      </td>
      <td className="quarantine-reason">
        <code className="reason-code">{item.reason}</code>
        <span className="reason-text" title={item.message}>
          {pickLanguage(item.message, lang)}
        </span>
      </td>
      <td className="row-actions quarantine-actions">
        <button type="button" onClick={() => retry.mutate({ id: item.id })} disabled={retry.isPending}>
          {retry.isPending ? t('quarantine.retrying') : t('quarantine.retry')}
        </button>
        {!action && (
          <button type="button" onClick={() => (exporter.reset(), setAction({ kind: 'export', dir: rememberedDir() }))}>
            {t('quarantine.export')}
          </button>
        )}
        {action && (
          <form
            className="export-form"
            onSubmit={(e) => {
              e.preventDefault();
              exporter.mutate({ id: item.id, toDir: action.dir.trim() });
            }}
          >
            <label htmlFor={dirId}>{t('quarantine.exportTo')}</label>
            <input
              id={dirId}
              type="text"
              value={action.dir}
              placeholder={t('quarantine.exportPlaceholder')}
              spellCheck={false}
              onChange={(e) => setAction({ kind: 'export', dir: e.target.value })}
            />
            <button type="submit" className="button-primary" disabled={exporter.isPending || action.dir.trim() === ''}>
              {t('quarantine.exportDo')}
            </button>
            <button type="button" onClick={() => setAction(null)}>
              {t('quarantine.close')}
            </button>
          </form>
        )}
        {retry.isSuccess && (
          <p className={`alert ${retry.data.outcome === 'quarantined' ? 'alert-warn' : 'alert-ok'}`} role="status" data-testid="retry-outcome">
            {retry.data.outcome === 'quarantined' ? t('quarantine.outcome.quarantined', { reason: retry.data.reason ?? '' }) : t(`quarantine.outcome.${retry.data.outcome}`)}
          </p>
        )}
        {retry.isError && <ErrorBox error={retry.error} />}
        {exporter.isSuccess && (
          <p className="alert alert-ok" role="status" data-testid="export-outcome">
            {t('quarantine.exported')} <code className="export-path">{exporter.data.path}</code>
          </p>
        )}
        {exporter.isError && <ErrorBox error={exporter.error} />}
      </td>
    </tr>
  );
}
