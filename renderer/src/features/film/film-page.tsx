/**
 * Cấp phim / Film exceptions. Film is the exception (clinic notice §5): the normal flow never
 * mentions it. This page holds the register (with "Cấp phim cứng / Issue hard film"), the reports
 * and the service catalog. `#/film/new/<visitId>` opens the form for that visit, so the visits page
 * can offer the action with a plain link (`filmFormHref`); the visit id is an opaque desk UUID,
 * never a patient identifier.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FilmRecordView } from '../../../../shared/film-views';
import { hashSegments, routeHref, useHash } from '../../lib/hash-route';
import { FilmCatalog } from './film-catalog';
import { FilmForm } from './film-form';
import { FilmRegister } from './film-register';
import { FilmReportView } from './film-report-view';
import { useFilmRefresh } from './use-film';
import './film.css';

const TABS = ['register', 'report', 'catalog'] as const;
type Tab = (typeof TABS)[number];

/** Link that opens the exception form for a visit. */
export function filmFormHref(visitId: string): string {
  return routeHref('film', 'new', visitId);
}

type FormMode = { kind: 'new'; visitId: string | null } | { kind: 'correct'; record: FilmRecordView } | null;

export function FilmPage() {
  const { t } = useTranslation();
  useFilmRefresh();
  const segments = hashSegments(useHash());
  const linkedVisit = segments[1] === 'new' ? (segments[2] ?? null) : null;
  const [tab, setTab] = useState<Tab>('register');
  const [form, setForm] = useState<FormMode>(null);
  const [saved, setSaved] = useState<FilmRecordView | null>(null);
  // A link from a visit opens the form once; closing it returns to the plain page URL.
  const mode: FormMode = form ?? (segments[1] === 'new' ? { kind: 'new', visitId: linkedVisit } : null);
  const close = () => {
    setForm(null);
    if (segments.length > 1) window.location.hash = routeHref('film');
  };

  return (
    <section className="page film-page" aria-labelledby="page-title">
      <div className="film-head">
        <h1 id="page-title">{t('film.title')}</h1>
        {!mode && (
          <button
            type="button"
            className="button-primary"
            onClick={() => {
              setSaved(null);
              setTab('register');
              setForm({ kind: 'new', visitId: null });
            }}
          >
            {t('film.issue')}
          </button>
        )}
      </div>
      <p className="field-help">{t('film.intro')}</p>

      {saved && !mode && (
        <p className="alert alert-ok" role="status">
          {t(saved.pendingApproval ? 'film.savedPending' : 'film.saved', { patient: saved.patientName })}
        </p>
      )}

      {mode && (
        <FilmForm
          key={mode.kind === 'correct' ? `c:${mode.record.id}` : `n:${mode.visitId ?? ''}`}
          initialVisit={
            mode.kind === 'new' && mode.visitId
              ? { id: mode.visitId, visitNumber: '', patientID: '', patientName: '', procedureName: '', payer: '', contractName: '' }
              : null
          }
          correcting={mode.kind === 'correct' ? mode.record : null}
          onDone={(view) => {
            setSaved(view);
            close();
          }}
          onCancel={close}
        />
      )}

      <div className="film-tabs" role="tablist" aria-label={t('film.title')}>
        {TABS.map((id) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`film-tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`film-panel-${id}`}
            className={tab === id ? 'film-tab film-tab-active' : 'film-tab'}
            onClick={() => setTab(id)}
          >
            {t(`film.tabs.${id}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`film-panel-${tab}`} aria-labelledby={`film-tab-${tab}`}>
        {tab === 'register' && (
          <FilmRegister
            onCorrect={(record) => {
              setSaved(null);
              setForm({ kind: 'correct', record });
              window.scrollTo({ top: 0 });
            }}
          />
        )}
        {tab === 'report' && <FilmReportView />}
        {tab === 'catalog' && <FilmCatalog />}
      </div>
    </section>
  );
}
