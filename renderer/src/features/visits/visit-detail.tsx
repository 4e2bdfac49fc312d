/**
 * One visit: who, which exam, who pays; its studies (open in the inbox, detach, attach more); the
 * result slip (features/slips); hard film (the film page's form); and, for a walk-in, reconciling
 * it with the real visit once the order exists (every image follows, visits.reconcile). An order
 * cancelled on the worklist says so at the top: its images stay, no more can be attached while empty.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VisitDetail } from '../../../../shared/contract/visits';
import { ErrorBox } from '../../app/error-text';
import { Loading } from '../../app/loading';
import { formatDateTime } from '../../lib/format';
import { routeHref } from '../../lib/hash-route';
import { useDeskQuery } from '../../lib/query';
import { filmFormHref } from '../film';
import { SlipPanel } from '../slips';
import { ReconcilePanel } from './reconcile-panel';
import { FilmChip, ImageChip, SlipChip, TemporaryIdFlag, WithdrawnFlag } from './visit-chips';
import { formatBirthDate, personName } from './visit-format';
import { VisitStudies } from './visit-studies';

export function VisitDetailView({ visitId }: { visitId: string }) {
  const { t } = useTranslation();
  const visit = useDeskQuery('visits.get', { id: visitId });
  return (
    <section className="page visits-page visit-detail" aria-labelledby="page-title">
      <a className="back-link" href={routeHref('visits')}>
        ← {t('visits.back')}
      </a>
      {visit.isPending && <Loading />}
      {visit.isError && (
        <>
          <h1 id="page-title">{t('visits.title')}</h1>
          <ErrorBox error={visit.error} />
        </>
      )}
      {visit.data && <Detail visit={visit.data} />}
    </section>
  );
}

function Detail({ visit }: { visit: VisitDetail }) {
  const { t } = useTranslation();
  const [reconciling, setReconciling] = useState(false);
  const canReconcile = visit.source === 'walk-in' && visit.reconciledTo === null;
  const info: [string, string][] = [
    [t('visits.field.visitNumber'), visit.visitNumber],
    [t('visits.field.patientID'), visit.patientID],
    [t('visits.field.birthDate'), formatBirthDate(visit.birthDate)],
    [t('visits.field.sex'), visit.sex ? t(`visits.sex.${visit.sex}`) : ''],
    [t('visits.field.phone'), visit.phone],
    [t('visits.field.accessionNumber'), visit.accessionNumber],
    [t('visits.field.procedure'), [visit.procedureName, visit.procedureCode ? `(${visit.procedureCode})` : ''].filter(Boolean).join(' ')],
    [t('visits.field.referringPhysician'), personName(visit.referringPhysician)],
    [t('visits.field.payer'), visit.payer ? t(`visits.payer.${visit.payer}`) + (visit.contractName ? ` — ${visit.contractName}` : '') : ''],
    [t('visits.field.scheduledAt'), visit.scheduledAt !== null ? formatDateTime(visit.scheduledAt) : ''],
    [t('visits.field.source'), t(`visits.source.${visit.source}`)],
  ];

  return (
    <>
      <div className="page-head visit-head">
        <h1 id="page-title" lang="vi" data-testid="visit-name">
          {personName(visit.patientName)}
        </h1>
        {visit.temporaryPatientID && <TemporaryIdFlag />}
        {visit.withdrawnAt !== null && <WithdrawnFlag at={visit.withdrawnAt} />}
        <span className="visit-chips">
          <ImageChip status={visit.imageStatus} />
          <SlipChip status={visit.slipStatus} />
          <FilmChip status={visit.filmStatus} />
        </span>
      </div>
      {visit.reconciledTo && (
        <p className="alert alert-info" role="status">
          {t('visits.reconcile.already')} <a href={routeHref('visits', visit.reconciledTo)}>{t('visits.reconcile.openTarget')}</a>
        </p>
      )}
      {visit.temporaryPatientID && visit.reconciledTo === null && <p className="alert alert-warn">{t('visits.temporaryIdHelp')}</p>}
      {visit.withdrawnAt !== null && (
        <p className="alert alert-warn" role="status" data-testid="visit-withdrawn">
          {t('visits.withdrawnAt', { at: formatDateTime(visit.withdrawnAt) })} {visit.studyCount > 0 ? t('visits.withdrawnImages') : t('visits.withdrawnEmpty')}
        </p>
      )}

      <dl className="visit-info">
        {info
          .filter(([, value]) => value !== '')
          .map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd lang="vi">{value}</dd>
            </div>
          ))}
      </dl>

      <div className="actions visit-actions">
        <a className="button-link" href={filmFormHref(visit.id)}>
          {t('visits.issueFilm')}
        </a>
        {canReconcile && !reconciling && (
          <button type="button" onClick={() => setReconciling(true)}>
            {t('visits.reconcile.open')}
          </button>
        )}
      </div>

      {reconciling && canReconcile && <ReconcilePanel walkIn={visit} onClose={() => setReconciling(false)} />}
      <VisitStudies visit={visit} />
      <SlipPanel visitId={visit.id} hasImages={visit.studyCount > 0} disabled={visit.reconciledTo !== null} />
    </>
  );
}
