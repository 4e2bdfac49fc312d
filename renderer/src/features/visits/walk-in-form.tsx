/**
 * Thêm khách vãng lai / New walk-in: a patient with no order in the worklist. The name is sent
 * exactly as typed (Vietnamese diacritics, case) — the core writes it into the images as ISO_IR
 * 192. Without a PatientID the core issues a temporary one, flagged until the walk-in is
 * reconciled with the real visit. Birth date: dd/MM/yyyy, or the year alone.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodInput } from '../../../../shared/contract';
import type { VisitDetail } from '../../../../shared/contract/visits';
import { useErrorText } from '../../app/error-text';
import { DeskCallError } from '../../lib/desk-call-error';
import { deskQueryKey, useDeskMutation, useDeskQuery } from '../../lib/query';
import { isoDay, parseBirthDate } from './visit-format';

type CreateInput = MethodInput<'visits.create'>;
type Sex = CreateInput['sex'];
type Payer = NonNullable<CreateInput['payer']>;

const FREE = '__free__';
const SEXES: readonly Sex[] = ['M', 'F', 'O'];
const PAYERS: readonly Payer[] = ['BHYT', 'SERVICE', 'CONTRACT'];

interface Draft {
  patientName: string;
  patientID: string;
  birthDate: string;
  sex: Sex | '';
  procedureCode: string;
  procedureText: string;
  phone: string;
  payer: Payer | '';
  contractName: string;
  referringPhysician: string;
}

const EMPTY: Draft = {
  patientName: '',
  patientID: '',
  birthDate: '',
  sex: '',
  procedureCode: '',
  procedureText: '',
  phone: '',
  payer: '',
  contractName: '',
  referringPhysician: '',
};

type FieldKey = keyof Draft;
type FieldErrors = Partial<Record<FieldKey, string>>;

/** The form field a core VALIDATION error names (`procedure.name` → the procedure text), if any. */
function formField(e: unknown): FieldKey | null {
  const top = e instanceof DeskCallError ? e.field?.split('.')[0] : undefined;
  if (top === 'procedure') return 'procedureText';
  return top !== undefined && top in EMPTY ? (top as FieldKey) : null;
}

export function WalkInForm({ onCreated, onCancel }: { onCreated: (visit: VisitDetail) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const catalog = useDeskQuery('catalog.list', {});
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});
  const create = useDeskMutation('visits.create', {
    onSuccess: (visit) => {
      void queryClient.invalidateQueries({ queryKey: deskQueryKey('visits.list') });
      setDraft(EMPTY);
      onCreated(visit);
    },
    onError: (e) => {
      const field = formField(e);
      if (field) setErrors({ [field]: errorText(e) });
    },
  });

  const entries = catalog.data?.items.filter((c) => c.active) ?? [];
  const free = draft.procedureCode === FREE || (entries.length === 0 && !catalog.isPending);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setErrors((e) => ({ ...e, [key]: undefined }));
    create.reset();
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: FieldErrors = {};
    if (draft.patientName.trim() === '') found.patientName = t('visits.walkIn.needName');
    const birthDate = parseBirthDate(draft.birthDate, isoDay(Date.now()));
    if (!birthDate) found.birthDate = t('visits.walkIn.badBirthDate');
    if (draft.sex === '') found.sex = t('visits.walkIn.needSex');
    const entry = entries.find((c) => c.procedureCode === draft.procedureCode);
    const procedure: CreateInput['procedure'] | null = free
      ? draft.procedureText.trim() || null
      : entry
        ? { code: entry.procedureCode, name: entry.name }
        : null;
    if (!procedure) found[free ? 'procedureText' : 'procedureCode'] = t('visits.walkIn.needProcedure');
    if (draft.payer === 'CONTRACT' && draft.contractName.trim() === '') found.contractName = t('visits.walkIn.needContract');
    setErrors(found);
    if (Object.keys(found).length > 0 || !birthDate || draft.sex === '' || !procedure) {
      const first = Object.keys(found)[0];
      if (first) document.getElementById(`walkin-${first}`)?.focus();
      return;
    }
    create.mutate({
      patientName: draft.patientName,
      ...(draft.patientID.trim() ? { patientID: draft.patientID.trim() } : {}),
      birthDate,
      sex: draft.sex,
      procedure,
      ...(draft.phone.trim() ? { phone: draft.phone.trim() } : {}),
      ...(draft.payer ? { payer: draft.payer } : {}),
      ...(draft.payer === 'CONTRACT' ? { contractName: draft.contractName.trim() } : {}),
      ...(draft.referringPhysician.trim() ? { referringPhysician: draft.referringPhysician.trim() } : {}),
    });
  };

  const fieldError = (key: keyof FieldErrors) =>
    errors[key] ? (
      <p className="field-error" id={`walkin-${key}-error`}>
        {errors[key]}
      </p>
    ) : null;
  const invalid = (key: keyof FieldErrors) => (errors[key] ? { 'aria-invalid': true, 'aria-describedby': `walkin-${key}-error` } : {});
  const unplacedError = create.isError && formField(create.error) === null;

  return (
    <form className="panel walk-in-form" aria-labelledby="walkin-title" noValidate onSubmit={submit}>
      <h2 id="walkin-title">{t('visits.walkIn.title')}</h2>
      <div className="walk-in-grid">
        <div className="field walk-in-wide">
          <label htmlFor="walkin-patientName">{t('visits.walkIn.name')}</label>
          <input
            id="walkin-patientName"
            type="text"
            lang="vi"
            autoComplete="off"
            spellCheck={false}
            autoFocus
            value={draft.patientName}
            onChange={(e) => set('patientName', e.target.value)}
            {...invalid('patientName')}
          />
          <p className="field-help">{t('visits.walkIn.nameHelp')}</p>
          {fieldError('patientName')}
        </div>
        <div className="field">
          <label htmlFor="walkin-patientID">{t('visits.walkIn.patientID')}</label>
          <input id="walkin-patientID" type="text" autoComplete="off" value={draft.patientID} onChange={(e) => set('patientID', e.target.value)} {...invalid('patientID')} />
          <p className="field-help">{t('visits.walkIn.patientIDHelp')}</p>
          {fieldError('patientID')}
        </div>
        <div className="field">
          <label htmlFor="walkin-birthDate">{t('visits.walkIn.birthDate')}</label>
          <input
            id="walkin-birthDate"
            type="text"
            inputMode="numeric"
            autoComplete="off"
            placeholder={t('visits.walkIn.birthDatePlaceholder')}
            value={draft.birthDate}
            onChange={(e) => set('birthDate', e.target.value)}
            {...invalid('birthDate')}
          />
          {fieldError('birthDate')}
        </div>
        <fieldset className="field walk-in-choices" {...invalid('sex')}>
          <legend>{t('visits.walkIn.sex')}</legend>
          {SEXES.map((s) => (
            <label key={s} className="choice">
              <input type="radio" name="walkin-sex" id={s === 'M' ? 'walkin-sex' : undefined} value={s} checked={draft.sex === s} onChange={() => set('sex', s)} />
              {t(`visits.sex.${s}`)}
            </label>
          ))}
          {fieldError('sex')}
        </fieldset>
        <div className="field walk-in-wide">
          <label htmlFor={entries.length > 0 ? 'walkin-procedureCode' : 'walkin-procedureText'}>{t('visits.walkIn.procedure')}</label>
          {entries.length > 0 && (
            <select id="walkin-procedureCode" value={draft.procedureCode} onChange={(e) => set('procedureCode', e.target.value)} {...invalid('procedureCode')}>
              <option value="">{t('visits.walkIn.chooseProcedure')}</option>
              {entries.map((c) => (
                <option key={c.procedureCode} value={c.procedureCode}>
                  {c.name} ({c.procedureCode})
                </option>
              ))}
              <option value={FREE}>{t('visits.walkIn.otherProcedure')}</option>
            </select>
          )}
          {fieldError('procedureCode')}
          {free && (
            <>
              <input
                id="walkin-procedureText"
                type="text"
                lang="vi"
                aria-label={entries.length > 0 ? t('visits.walkIn.procedureText') : undefined}
                placeholder={t('visits.walkIn.procedureText')}
                value={draft.procedureText}
                onChange={(e) => set('procedureText', e.target.value)}
                {...invalid('procedureText')}
              />
              {fieldError('procedureText')}
            </>
          )}
        </div>
        <div className="field">
          <label htmlFor="walkin-phone">{t('visits.walkIn.phone')}</label>
          <input id="walkin-phone" type="text" inputMode="tel" autoComplete="off" value={draft.phone} onChange={(e) => set('phone', e.target.value)} {...invalid('phone')} />
          {fieldError('phone')}
        </div>
        <div className="field">
          <label htmlFor="walkin-referringPhysician">{t('visits.walkIn.referringPhysician')}</label>
          <input
            id="walkin-referringPhysician"
            type="text"
            lang="vi"
            autoComplete="off"
            value={draft.referringPhysician}
            onChange={(e) => set('referringPhysician', e.target.value)}
            {...invalid('referringPhysician')}
          />
          {fieldError('referringPhysician')}
        </div>
        <fieldset className="field walk-in-choices walk-in-wide">
          <legend>{t('visits.walkIn.payer')}</legend>
          <label className="choice">
            <input type="radio" name="walkin-payer" value="" checked={draft.payer === ''} onChange={() => set('payer', '')} />
            {t('visits.payer.none')}
          </label>
          {PAYERS.map((p) => (
            <label key={p} className="choice">
              <input type="radio" name="walkin-payer" value={p} checked={draft.payer === p} onChange={() => set('payer', p)} />
              {t(`visits.payer.${p}`)}
            </label>
          ))}
        </fieldset>
        {draft.payer === 'CONTRACT' && (
          <div className="field walk-in-wide">
            <label htmlFor="walkin-contractName">{t('visits.walkIn.contractName')}</label>
            <input
              id="walkin-contractName"
              type="text"
              lang="vi"
              autoComplete="off"
              value={draft.contractName}
              onChange={(e) => set('contractName', e.target.value)}
              {...invalid('contractName')}
            />
            {fieldError('contractName')}
          </div>
        )}
      </div>
      {unplacedError && (
        <p className="alert alert-error" role="alert">
          {errorText(create.error)}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="button-primary" disabled={create.isPending}>
          {t('visits.walkIn.submit')}
        </button>
        <button type="button" onClick={onCancel} disabled={create.isPending}>
          {t('visits.walkIn.cancel')}
        </button>
      </div>
    </form>
  );
}
