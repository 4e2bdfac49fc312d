/**
 * Picks the visit a film record belongs to: today's visits from `visits.list`, narrowed by name,
 * PatientID, accession or visit number (a barcode scanner types into the same box). While the
 * visits capability is not in this build, the visit id can be typed instead.
 */
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBox } from '../../app/error-text';
import { useOptionalDeskQuery } from '../../lib/query';

export interface VisitChoice {
  readonly id: string;
  readonly visitNumber: string;
  readonly patientID: string;
  readonly patientName: string;
  readonly procedureName: string;
  readonly payer: string;
  readonly contractName: string;
}

/** Reads `visits.list` output without trusting its shape: this page may be built before that slice. */
function readVisits(data: unknown): VisitChoice[] {
  const items = (data as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) return [];
  const str = (o: Record<string, unknown>, k: string) => (typeof o[k] === 'string' ? (o[k] as string) : '');
  return items
    .filter((x): x is Record<string, unknown> => typeof x === 'object' && x !== null && typeof (x as { id?: unknown }).id === 'string')
    .map((o) => ({
      id: str(o, 'id'),
      visitNumber: str(o, 'visitNumber'),
      patientID: str(o, 'patientID'),
      patientName: str(o, 'patientName'),
      procedureName: str(o, 'procedureName'),
      payer: str(o, 'payer'),
      contractName: str(o, 'contractName'),
    }));
}

/**
 * Fills in a visit known only by its id (the form opened from a link) from `visits.get`, when this
 * build has it; otherwise the id alone is shown.
 */
export function useVisitChoice(visit: VisitChoice | null): VisitChoice | null {
  const needed = visit !== null && visit.visitNumber === '' && visit.patientName === '';
  const detail = useOptionalDeskQuery('visits.get', { id: visit?.id ?? '' }, { enabled: needed, retry: false });
  if (!visit || !needed) return visit;
  const found = readVisits({ items: [detail.data] })[0];
  return found ?? visit;
}

export function visitLabel(v: Pick<VisitChoice, 'visitNumber' | 'patientName' | 'patientID' | 'procedureName'>): string {
  return [v.visitNumber, v.patientName, v.patientID, v.procedureName].filter(Boolean).join(' · ');
}

export function VisitPicker({ invalid, onPick }: { invalid: boolean; onPick: (v: VisitChoice) => void }) {
  const { t } = useTranslation();
  const inputId = useId();
  const [text, setText] = useState('');
  const [typedId, setTypedId] = useState('');
  const query = text.trim();
  const visits = useOptionalDeskQuery('visits.list', query ? { text: query, limit: 20 } : { limit: 20 });
  const available = visits.data !== null;

  if (visits.isSuccess && !available) {
    return (
      <div className="field">
        <label htmlFor={inputId}>{t('film.form.visitId')}</label>
        <div className="film-inline">
          <input
            id={inputId}
            type="text"
            spellCheck={false}
            aria-invalid={invalid}
            value={typedId}
            onChange={(e) => setTypedId(e.target.value)}
          />
          <button
            type="button"
            disabled={typedId.trim() === ''}
            onClick={() =>
              onPick({ id: typedId.trim(), visitNumber: '', patientID: '', patientName: '', procedureName: '', payer: '', contractName: '' })
            }
          >
            {t('film.form.useVisit')}
          </button>
        </div>
        <p className="field-help">{t('film.form.visitsUnavailable')}</p>
      </div>
    );
  }

  const choices = readVisits(visits.data);
  return (
    <div className="field">
      <label htmlFor={inputId}>{t('film.form.findVisit')}</label>
      <input
        id={inputId}
        type="search"
        spellCheck={false}
        autoComplete="off"
        aria-invalid={invalid}
        placeholder={t('film.form.findVisitHint')}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          // A barcode scanner ends with Enter: take the only match.
          if (e.key === 'Enter') {
            e.preventDefault();
            if (choices.length === 1) onPick(choices[0]!);
          }
        }}
      />
      {visits.isError && <ErrorBox error={visits.error} />}
      {visits.isSuccess && choices.length === 0 && <p className="field-help">{t('film.form.noVisits')}</p>}
      {choices.length > 0 && (
        <ul className="film-visit-list" aria-label={t('film.form.visitResults')}>
          {choices.map((v) => (
            <li key={v.id}>
              <button type="button" className="film-visit-choice" onClick={() => onPick(v)}>
                {visitLabel(v)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
