/**
 * Sổ cấp phim / the register: every record of the chosen days, newest first, voided ones kept and
 * marked, each with its two billing codes and whether the clinic server has it yet. Void, correct
 * and approve start here; nothing is ever edited in place.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FILM_CASES, type FilmCase } from '../../../../shared/film-cases';
import { recordState } from '../../../../shared/film-labels';
import type { FilmRecordView } from '../../../../shared/film-views';
import { ErrorBox } from '../../app/error-text';
import { Loading } from '../../app/loading';
import { currentLanguage } from '../../i18n/i18n';
import { useDeskQuery } from '../../lib/query';
import { DateField } from './film-form';
import { formatRecordTime, formatVnd, thisMonthSoFar } from './film-format';
import { useApproveFilm, useVoidFilm } from './use-film';

type RowAction = { kind: 'void' | 'approve'; record: FilmRecordView };

const STATE_PILL = { active: 'pill-ok', pending: 'pill-warn', voided: 'pill-idle' } as const;
const SERVER_PILL = { pending: 'pill-idle', delivered: 'pill-ok', rejected: 'pill-bad' } as const;

export function FilmRegister({ onCorrect }: { onCorrect(record: FilmRecordView): void }) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n);
  const [range, setRange] = useState(() => thisMonthSoFar(Date.now()));
  const [kind, setKind] = useState<FilmCase | ''>('');
  const [includeVoided, setIncludeVoided] = useState(true);
  const [action, setAction] = useState<RowAction | null>(null);
  const list = useDeskQuery('film.list', { ...range, includeVoided, ...(kind ? { case: kind } : {}) });

  return (
    <div>
      <div className="toolbar film-filters" role="search">
        <DateField label={t('film.report.from')} value={range.from} onChange={(from) => setRange((r) => ({ ...r, from }))} />
        <DateField label={t('film.report.to')} value={range.to} onChange={(to) => setRange((r) => ({ ...r, to }))} />
        <div className="field">
          <label htmlFor="film-filter-case">{t('film.register.case')}</label>
          <select id="film-filter-case" value={kind} onChange={(e) => setKind(e.target.value as FilmCase | '')}>
            <option value="">{t('film.register.allCases')}</option>
            {FILM_CASES.map((c) => (
              <option key={c} value={c}>
                {t(`film.case.${c}`)}
              </option>
            ))}
          </select>
        </div>
        <label className="inline-check">
          <input type="checkbox" checked={includeVoided} onChange={(e) => setIncludeVoided(e.target.checked)} />
          {t('film.register.includeVoided')}
        </label>
      </div>

      {action && <ActionPanel key={`${action.kind}:${action.record.id}`} action={action} onClose={() => setAction(null)} />}

      {list.isPending && <Loading />}
      {list.isError && <ErrorBox error={list.error} />}
      {list.isSuccess && list.data.items.length === 0 && (
        <p className="empty" role="status">
          {t('film.register.empty')}
        </p>
      )}
      {list.isSuccess && list.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table film-table">
            <caption className="visually-hidden">{t('film.tabs.register')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('film.register.time')}</th>
                <th scope="col">{t('film.register.patient')}</th>
                <th scope="col">{t('film.register.case')}</th>
                <th scope="col">{t('film.register.films')}</th>
                <th scope="col">{t('film.register.codes')}</th>
                <th scope="col">{t('film.register.technician')}</th>
                <th scope="col">{t('film.register.state')}</th>
                <th scope="col">{t('film.register.server')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('film.register.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((r) => {
                const state = recordState(r);
                return (
                  <tr key={r.id} className={r.void ? 'film-voided' : undefined} data-record-id={r.id}>
                    <td className="nowrap">{formatRecordTime(r.recordedAt)}</td>
                    <td>
                      <strong>{r.patientName}</strong>
                      <div className="film-sub">
                        {r.patientID} · {r.visitNumber}
                      </div>
                      <div className="film-sub">{r.procedureName}</div>
                    </td>
                    <td>
                      {t(`film.case.${r.case}`)}
                      <CaseDetail r={r} />
                    </td>
                    <td className="nowrap">
                      {r.films.map((l, i) => (
                        <div key={i}>
                          {l.count} × {l.size.replace('x', '×')}
                        </div>
                      ))}
                    </td>
                    <td className="nowrap">
                      {r.billing ? (
                        <>
                          <div>
                            <s title={t('film.register.noFilmCode')}>{r.billing.noFilmCode}</s> {formatVnd(r.billing.noFilmPrice, lang)}
                          </div>
                          <div title={t('film.register.withFilmCode')}>
                            → <strong>{r.billing.withFilmCode}</strong> {formatVnd(r.billing.withFilmPrice, lang)}
                          </div>
                        </>
                      ) : (
                        <span className="pill pill-warn">{t('film.register.notInCatalog')}</span>
                      )}
                    </td>
                    <td>{r.technician.name}</td>
                    <td>
                      <span className={`pill ${STATE_PILL[state]}`}>{t(`film.state.${state}`)}</span>
                      {r.void && (
                        <div className="film-sub">
                          {t('film.register.voidedBecause', { reason: r.void.reason, by: r.void.by.name, at: formatRecordTime(r.void.voidedAt) })}
                        </div>
                      )}
                      {r.replacesId && <div className="film-sub">{t('film.register.isCorrection')}</div>}
                      {r.replacedById && <div className="film-sub">{t('film.register.wasCorrected')}</div>}
                    </td>
                    <td>
                      {r.server ? <span className={`pill ${SERVER_PILL[r.server.status]}`}>{t(`film.server.${r.server.status}`)}</span> : '—'}
                    </td>
                    <td className="film-row-actions">
                      {!r.void && (
                        <div>
                          {r.pendingApproval && (
                            <button type="button" className="button-small" onClick={() => setAction({ kind: 'approve', record: r })}>
                              {t('film.register.approve')}
                            </button>
                          )}
                          <button type="button" className="button-small" onClick={() => onCorrect(r)}>
                            {t('film.register.correct')}
                          </button>
                          <button type="button" className="button-small" onClick={() => setAction({ kind: 'void', record: r })}>
                            {t('film.register.void')}
                          </button>
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {list.data?.truncated && <p className="field-help">{t('film.register.truncated')}</p>}
    </div>
  );
}

function CaseDetail({ r }: { r: FilmRecordView }) {
  const { t } = useTranslation();
  const lines: string[] = [];
  if (r.case === 'CONTRACT') lines.push(`${r.contractName ?? ''} — ${r.contractNumber ?? ''}`);
  if (r.case === 'PATIENT_REQUEST') lines.push(`${t('film.field.requestReference')}: ${r.requestReference ?? ''}`);
  if (r.case === 'SPECIAL') {
    lines.push(r.description ?? '', `${t('film.field.proposedBy')}: ${r.proposedBy ?? ''}`);
    if (r.approval) lines.push(`${t('film.field.approvedBy')}: ${r.approval.approvedBy} (${r.approval.approvalReference}, ${r.approval.approvalDate.split('-').reverse().join('/')})`);
  }
  return (
    <>
      {lines.map((l, i) => (
        <div key={i} className="film-sub">
          {l}
        </div>
      ))}
    </>
  );
}

/** Void (with a reason) or approve (with the leadership's decision) one record. */
function ActionPanel({ action, onClose }: { action: RowAction; onClose(): void }) {
  const { t } = useTranslation();
  const voidFilm = useVoidFilm();
  const approve = useApproveFilm();
  const [reason, setReason] = useState('');
  const [approvedBy, setApprovedBy] = useState('');
  const [approvalReference, setApprovalReference] = useState('');
  const [approvalDate, setApprovalDate] = useState('');
  const m = action.kind === 'void' ? voidFilm : approve;
  const field = m.error?.field;
  const r = action.record;
  return (
    <form
      className="panel film-action"
      aria-labelledby="film-action-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (action.kind === 'void') voidFilm.mutate({ id: r.id, reason }, { onSuccess: onClose });
        else approve.mutate({ id: r.id, approvedBy, approvalReference, approvalDate }, { onSuccess: onClose });
      }}
    >
      <h2 id="film-action-title">{action.kind === 'void' ? t('film.register.voidTitle') : t('film.register.approveTitle')}</h2>
      <p>
        {formatRecordTime(r.recordedAt)} · {r.patientName} · {t(`film.case.${r.case}`)}
      </p>
      {action.kind === 'void' ? (
        <div className="field">
          <label htmlFor="film-void-reason">{t('film.field.reason')}</label>
          <input id="film-void-reason" type="text" aria-invalid={field === 'reason'} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />
          <p className="field-help">{t('film.register.voidHelp')}</p>
        </div>
      ) : (
        <div className="film-case-fields">
          <div className="field">
            <label htmlFor="film-approve-by">{t('film.field.approvedBy')}</label>
            <input id="film-approve-by" type="text" aria-invalid={field === 'approvedBy'} value={approvedBy} onChange={(e) => setApprovedBy(e.target.value)} autoFocus />
          </div>
          <div className="field">
            <label htmlFor="film-approve-ref">{t('film.field.approvalReference')}</label>
            <input id="film-approve-ref" type="text" aria-invalid={field === 'approvalReference'} value={approvalReference} onChange={(e) => setApprovalReference(e.target.value)} />
          </div>
          <DateField label={t('film.field.approvalDate')} invalid={field === 'approvalDate'} value={approvalDate} onChange={setApprovalDate} />
        </div>
      )}
      {m.isError && <ErrorBox error={m.error} />}
      <div className="actions">
        <button type="submit" className="button-primary" disabled={m.isPending}>
          {action.kind === 'void' ? t('film.register.voidConfirm') : t('film.register.approveConfirm')}
        </button>
        <button type="button" onClick={onClose}>
          {t('film.form.cancel')}
        </button>
      </div>
    </form>
  );
}
