/**
 * Lượt khám / Visits: the day's worklist and walk-ins with where each stands (images, slip,
 * film), the studies still waiting for a visit, and — at `#/visits/<visitId>` — one visit's page.
 * The visit id in the route is the desk's opaque UUID, never a patient identifier.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VisitDetail } from '../../../../shared/contract/visits';
import { ErrorBox } from '../../app/error-text';
import { Loading } from '../../app/loading';
import { hashSegments, routeHref, useHash } from '../../lib/hash-route';
import { useDeskQuery, useInvalidateOnEvent } from '../../lib/query';
import { DayPicker } from './day-picker';
import { UnattachedStudies } from './unattached-studies';
import { useDebounced } from './use-debounced';
import { useVisitLookup } from './use-visit-lookup';
import { VisitDetailView } from './visit-detail';
import { isoDay, personName } from './visit-format';
import { VisitTable } from './visit-table';
import { WalkInForm } from './walk-in-form';
import { WorklistRefresh } from './worklist-refresh';
import './visits.css';

export function VisitsPage() {
  const segments = hashSegments(useHash());
  useInvalidateOnEvent('visits.changed', ['visits.list', 'visits.get']);
  useInvalidateOnEvent('studies.changed', ['visits.list', 'visits.get']);
  useInvalidateOnEvent('film.changed', ['visits.list', 'visits.get']);
  const visitId = segments[1];
  return visitId ? <VisitDetailView key={visitId} visitId={visitId} /> : <VisitList />;
}

function VisitList() {
  const { t } = useTranslation();
  const [day, setDay] = useState(() => isoDay(Date.now()));
  const [typed, setTyped] = useState('');
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<VisitDetail | null>(null);
  const text = useDebounced(typed.trim(), 150);
  const lookup = useVisitLookup();
  const list = useDeskQuery('visits.list', { date: day, text: text || undefined, limit: 1000 });
  const items = list.data?.items ?? [];

  return (
    <section className="page visits-page" aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title">{t('visits.title')}</h1>
        {!adding && (
          <button
            type="button"
            className="button-primary"
            onClick={() => {
              setCreated(null);
              setAdding(true);
            }}
          >
            {t('visits.walkIn.open')}
          </button>
        )}
      </div>

      {adding && (
        <WalkInForm
          onCreated={(visit) => {
            setAdding(false);
            setCreated(visit);
            setDay(isoDay(visit.scheduledAt ?? visit.createdAt));
            setTyped('');
          }}
          onCancel={() => setAdding(false)}
        />
      )}
      {created && (
        <p className="alert alert-ok" role="status" data-testid="walkin-created">
          {t('visits.walkIn.created', { name: personName(created.patientName), visit: created.visitNumber, id: created.patientID })}{' '}
          <a href={routeHref('visits', created.id)}>{t('visits.walkIn.openCreated')}</a>
        </p>
      )}

      <div className="toolbar visits-toolbar">
        <DayPicker day={day} onChange={setDay} idPrefix="visits" />
        <div className="visits-search">
          <label className="visually-hidden" htmlFor="visits-search">
            {t('visits.search.label')}
          </label>
          <input
            id="visits-search"
            type="search"
            value={typed}
            placeholder={t('visits.search.placeholder')}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setTyped(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') setTyped('');
              if (e.key === 'Enter') {
                void lookup(day, typed).then((picked) => {
                  if (picked) window.location.hash = routeHref('visits', picked.id);
                });
              }
            }}
          />
        </div>
        <WorklistRefresh />
      </div>

      {list.isPending && <Loading />}
      {list.isError && <ErrorBox error={list.error} />}
      {list.data &&
        (items.length === 0 ? (
          <div className="empty" role="status">
            {text ? t('visits.search.noMatch', { text }) : t('visits.empty')}
          </div>
        ) : (
          <>
            <p className="list-count" data-testid="visit-count">
              {t('visits.count', { count: items.length })}
            </p>
            <VisitTable visits={items} />
          </>
        ))}

      <UnattachedStudies />
    </section>
  );
}
