/**
 * "Cấp phim cứng / Issue hard film": the exception form. One of the notice's three cases, and the
 * fields that case requires; or, with `correcting`, a correction that voids the old record and
 * writes this one in its place. The core validates (shared/film-cases.ts) and names the missing
 * field in both languages; the form shows that message, marks the field and moves focus to it.
 */
import { useEffect, useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodInput } from '../../../../shared/contract';
import { FILM_CASES, FILM_SIZES, type FilmCase, type FilmSize } from '../../../../shared/film-cases';
import { localDate } from '../../../../shared/film-dates';
import type { FilmRecordView } from '../../../../shared/film-views';
import { ErrorBox } from '../../app/error-text';
import { currentLanguage } from '../../i18n/i18n';
import { DeskCallError } from '../../lib/desk-call-error';
import { useDeskQuery } from '../../lib/query';
import { formatVnd } from './film-format';
import { useRecordFilm } from './use-film';
import { useVisitChoice, VisitPicker, visitLabel, type VisitChoice } from './visit-picker';

interface Line {
  size: FilmSize;
  count: string;
}

interface FormState {
  visit: VisitChoice | null;
  case: FilmCase | '';
  films: Line[];
  contractName: string;
  contractNumber: string;
  requestReference: string;
  chargeAcknowledged: boolean;
  description: string;
  proposedBy: string;
  pendingApproval: boolean;
  approvedBy: string;
  approvalReference: string;
  approvalDate: string;
  correctionReason: string;
}

function initialState(visit: VisitChoice | null, from: FilmRecordView | null): FormState {
  return {
    visit: from
      ? {
          id: from.visitId,
          visitNumber: from.visitNumber,
          patientID: from.patientID,
          patientName: from.patientName,
          procedureName: from.procedureName,
          payer: '',
          contractName: '',
        }
      : visit,
    case: from?.case ?? '',
    films: from ? from.films.map((l) => ({ size: l.size, count: String(l.count) })) : [{ size: '35x43', count: '1' }],
    contractName: from?.contractName ?? '',
    contractNumber: from?.contractNumber ?? '',
    requestReference: from?.requestReference ?? '',
    chargeAcknowledged: false,
    description: from?.description ?? '',
    proposedBy: from?.proposedBy ?? '',
    pendingApproval: from ? from.pendingApproval : false,
    approvedBy: from?.approval?.approvedBy ?? '',
    approvalReference: from?.approval?.approvalReference ?? '',
    approvalDate: from?.approval?.approvalDate ?? '',
    correctionReason: '',
  };
}

/** Only the chosen case's fields go out: the others may hold what was typed before switching case. */
function toInput(s: FormState, correcting: FilmRecordView | null): MethodInput<'film.record'> {
  const common = {
    visitId: s.visit?.id ?? '',
    films: s.films.map((l) => ({ size: l.size, count: l.count.trim() === '' ? 0 : Number(l.count) })),
    ...(correcting ? { replacesId: correcting.id, ...(correcting.void ? {} : { correctionReason: s.correctionReason }) } : {}),
  };
  switch (s.case) {
    case 'CONTRACT':
      return { ...common, case: 'CONTRACT', contractName: s.contractName, contractNumber: s.contractNumber };
    case 'PATIENT_REQUEST':
      return { ...common, case: 'PATIENT_REQUEST', requestReference: s.requestReference, chargeAcknowledged: s.chargeAcknowledged };
    case 'SPECIAL':
      return {
        ...common,
        case: 'SPECIAL',
        description: s.description,
        proposedBy: s.proposedBy,
        ...(s.pendingApproval
          ? { pendingApproval: true }
          : { approvedBy: s.approvedBy, approvalReference: s.approvalReference, approvalDate: s.approvalDate }),
      };
    default:
      // No case chosen: send none, and the core names `case` as missing.
      return common as MethodInput<'film.record'>;
  }
}

const fieldDomId = (field: string) => `film-${field.replace(/\./g, '-')}`;

export interface FilmFormProps {
  initialVisit?: VisitChoice | null;
  correcting?: FilmRecordView | null;
  onDone(view: FilmRecordView): void;
  onCancel(): void;
}

export function FilmForm({ initialVisit = null, correcting = null, onDone, onCancel }: FilmFormProps) {
  const { t, i18n } = useTranslation();
  const lang = currentLanguage(i18n);
  const [s, setS] = useState<FormState>(() => initialState(initialVisit, correcting));
  const record = useRecordFilm();
  const failed = record.error instanceof DeskCallError ? record.error : null;
  const badField = failed?.field;
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setS((prev) => ({ ...prev, [key]: value }));
  const visit = useVisitChoice(s.visit);
  // A visit opened by link is known by id first; its contract payer fills in the contract name once known.
  const [prefilled, setPrefilled] = useState(false);
  if (!prefilled && visit && visit.payer !== '') {
    setPrefilled(true);
    if (visit.payer === 'CONTRACT' && s.contractName === '') set('contractName', visit.contractName);
  }

  useEffect(() => {
    if (badField) document.getElementById(fieldDomId(badField))?.focus();
  }, [badField, record.submittedAt]);

  const bad = (field: string) => badField === field;
  const text = (field: keyof FormState & string, label: string, extra: { placeholder?: string; help?: ReactNode } = {}) => (
    <div className="field">
      <label htmlFor={fieldDomId(field)}>{label}</label>
      <input
        id={fieldDomId(field)}
        type="text"
        aria-invalid={bad(field)}
        placeholder={extra.placeholder}
        value={s[field] as string}
        onChange={(e) => set(field, e.target.value as never)}
      />
      {extra.help && <p className="field-help">{extra.help}</p>}
    </div>
  );

  return (
    <form
      className="panel film-form"
      aria-labelledby="film-form-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        record.mutate(toInput(s, correcting), { onSuccess: onDone });
      }}
    >
      <h2 id="film-form-title">{correcting ? t('film.form.correctTitle') : t('film.form.title')}</h2>
      {correcting && <p className="alert alert-info">{t('film.form.correctHelp')}</p>}

      {visit ? (
        <div className="field">
          <span className="film-label">{t('film.form.visit')}</span>
          <div className="film-inline">
            <strong id={fieldDomId('visitId')} tabIndex={-1}>
              {visitLabel(visit) || visit.id}
            </strong>
            {!correcting && (
              <button type="button" className="button-small" onClick={() => set('visit', null)}>
                {t('film.form.changeVisit')}
              </button>
            )}
          </div>
          <VisitBillingHint visitId={visit.id} lang={lang} />
        </div>
      ) : (
        <VisitPicker
          invalid={bad('visitId')}
          onPick={(v) => {
            setPrefilled(false);
            set('visit', v);
          }}
        />
      )}

      <fieldset className="film-cases" aria-invalid={bad('case')}>
        <legend id={fieldDomId('case')} tabIndex={-1}>
          {t('film.form.case')}
        </legend>
        {FILM_CASES.map((c) => (
          <label key={c} className="film-case">
            <input type="radio" name="film-case" value={c} checked={s.case === c} onChange={() => set('case', c)} />
            <span>
              <strong>{t(`film.case.${c}`)}</strong>
              <small>{t(`film.caseHelp.${c}`)}</small>
            </span>
          </label>
        ))}
      </fieldset>

      <fieldset className="film-lines">
        <legend id={fieldDomId('films')} tabIndex={-1}>
          {t('film.form.films')}
        </legend>
        {s.films.map((line, i) => (
          <div className="film-line" key={i}>
            <label>
              <span className="visually-hidden">{t('film.form.size')}</span>
              <select
                id={fieldDomId(`films.${i}.size`)}
                aria-invalid={bad(`films.${i}.size`)}
                value={line.size}
                onChange={(e) => set('films', s.films.map((l, j) => (j === i ? { ...l, size: e.target.value as FilmSize } : l)))}
              >
                {FILM_SIZES.map((size) => (
                  <option key={size} value={size}>
                    {size.replace('x', ' × ')} cm
                  </option>
                ))}
              </select>
            </label>
            <label className="film-count">
              <span>{t('film.form.count')}</span>
              <input
                id={fieldDomId(`films.${i}.count`)}
                type="number"
                min={1}
                max={50}
                inputMode="numeric"
                aria-invalid={bad(`films.${i}.count`)}
                value={line.count}
                onChange={(e) => set('films', s.films.map((l, j) => (j === i ? { ...l, count: e.target.value } : l)))}
              />
            </label>
            {s.films.length > 1 && (
              <button type="button" className="button-small" onClick={() => set('films', s.films.filter((_, j) => j !== i))}>
                {t('film.form.removeLine')}
              </button>
            )}
          </div>
        ))}
        {s.films.length < FILM_SIZES.length && (
          <button
            type="button"
            className="button-small"
            onClick={() => set('films', [...s.films, { size: FILM_SIZES.find((z) => !s.films.some((l) => l.size === z)) ?? '35x43', count: '1' }])}
          >
            {t('film.form.addLine')}
          </button>
        )}
      </fieldset>

      {s.case === 'CONTRACT' && (
        <div className="film-case-fields">
          {text('contractName', t('film.field.contractName'), { help: t('film.form.contractNameHelp') })}
          {text('contractNumber', t('film.field.contractNumber'))}
        </div>
      )}

      {s.case === 'PATIENT_REQUEST' && (
        <div className="film-case-fields">
          {text('requestReference', t('film.field.requestReference'), { help: t('film.form.requestReferenceHelp') })}
          <label className="inline-check film-ack">
            <input
              id={fieldDomId('chargeAcknowledged')}
              type="checkbox"
              aria-invalid={bad('chargeAcknowledged')}
              checked={s.chargeAcknowledged}
              onChange={(e) => set('chargeAcknowledged', e.target.checked)}
            />
            {t('film.field.chargeAcknowledged')}
          </label>
        </div>
      )}

      {s.case === 'SPECIAL' && (
        <div className="film-case-fields">
          <div className="field film-wide">
            <label htmlFor={fieldDomId('description')}>{t('film.field.description')}</label>
            <textarea
              id={fieldDomId('description')}
              rows={3}
              aria-invalid={bad('description')}
              value={s.description}
              onChange={(e) => set('description', e.target.value)}
            />
          </div>
          {text('proposedBy', t('film.field.proposedBy'))}
          <label className="inline-check film-wide">
            <input
              id={fieldDomId('pendingApproval')}
              type="checkbox"
              aria-invalid={bad('pendingApproval')}
              checked={s.pendingApproval}
              onChange={(e) => set('pendingApproval', e.target.checked)}
            />
            {t('film.field.pendingApproval')}
          </label>
          {!s.pendingApproval && (
            <>
              {text('approvedBy', t('film.field.approvedBy'))}
              {text('approvalReference', t('film.field.approvalReference'))}
              <DateField id={fieldDomId('approvalDate')} label={t('film.field.approvalDate')} invalid={bad('approvalDate')} value={s.approvalDate} onChange={(v) => set('approvalDate', v)} />
            </>
          )}
        </div>
      )}

      {correcting && !correcting.void && (
        <div className="film-case-fields">{text('correctionReason', t('film.field.correctionReason'))}</div>
      )}

      {record.isError && <ErrorBox error={record.error} id="film-form-error" />}
      <div className="actions">
        <button type="submit" className="button-primary" disabled={record.isPending}>
          {correcting ? t('film.form.saveCorrection') : t('film.form.save')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('film.form.cancel')}
        </button>
      </div>
    </form>
  );
}

/** What the visit is billed now, and what film will switch it to. */
function VisitBillingHint({ visitId, lang }: { visitId: string; lang: 'vi' | 'en' }) {
  const { t } = useTranslation();
  const billing = useDeskQuery('film.visitBilling', { visitId }, { retry: false });
  const catalog = useDeskQuery('catalog.list', {});
  if (!billing.data) return null;
  const entry = catalog.data?.items.find((e) => e.procedureCode === billing.data.procedureCode || e.noFilmCode === billing.data.serviceCode);
  if (billing.data.variant === 'with-film') return <p className="field-help">{t('film.form.alreadyWithFilm', { code: billing.data.serviceCode ?? '—' })}</p>;
  if (!entry) return <p className="field-help">{t('film.form.notInCatalog')}</p>;
  return (
    <p className="field-help">
      {t('film.form.billingSwitch', {
        from: `${entry.noFilmCode} (${formatVnd(entry.noFilmPrice, lang)})`,
        to: `${entry.withFilmCode} (${formatVnd(entry.withFilmPrice, lang)})`,
      })}
    </p>
  );
}

export function DateField(props: { id?: string; label: string; value: string; invalid?: boolean; max?: string; onChange(v: string): void }) {
  const fallback = useId();
  const id = props.id ?? fallback;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="date"
        className="film-date"
        aria-invalid={props.invalid ?? false}
        max={props.max ?? localDate(Date.now())}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </div>
  );
}
