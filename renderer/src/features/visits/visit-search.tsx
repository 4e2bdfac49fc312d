/**
 * Finds a visit to attach images to (or to reconcile a walk-in into): a day, and words matched by
 * the core without caring for accents or case ("nguyen van an" finds "NGUYỄN VĂN AN"), against
 * name, PatientID, accession and visit number. A barcode scanner types into the same box and
 * presses Enter (visit-match.ts decides what that picks).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VisitSummary } from '../../../../shared/contract/visits';
import { ErrorBox } from '../../app/error-text';
import { Loading } from '../../app/loading';
import { useDeskQuery } from '../../lib/query';
import { DayPicker } from './day-picker';
import { isoDay } from './visit-format';
import { useDebounced } from './use-debounced';
import { useVisitLookup } from './use-visit-lookup';
import { VisitLine } from './visit-line';

export interface VisitSearchProps {
  /** Prefix for element ids (two searches may share a page). */
  idPrefix: string;
  onPick: (visit: VisitSummary) => void;
  /** A visit that cannot be the answer (reconcile: the walk-in itself). */
  excludeId?: string;
  autoFocus?: boolean;
}

export function VisitSearch({ idPrefix, onPick, excludeId, autoFocus }: VisitSearchProps) {
  const { t } = useTranslation();
  const lookup = useVisitLookup();
  const [day, setDay] = useState(() => isoDay(Date.now()));
  const [typed, setTyped] = useState('');
  const text = useDebounced(typed.trim(), 150);
  const list = useDeskQuery('visits.list', { date: day, text: text || undefined, limit: 50 });
  const results = (list.data?.items ?? []).filter((v) => v.id !== excludeId);
  const inputId = `${idPrefix}-search`;

  return (
    <div className="visit-search">
      <div className="visit-search-bar">
        <DayPicker day={day} onChange={setDay} idPrefix={idPrefix} />
        <label className="visit-search-label" htmlFor={inputId}>
          {t('visits.search.label')}
        </label>
        <input
          id={inputId}
          type="search"
          value={typed}
          placeholder={t('visits.search.placeholder')}
          autoComplete="off"
          spellCheck={false}
          autoFocus={autoFocus}
          data-autofocus={autoFocus || undefined}
          onChange={(e) => setTyped(e.target.value)}
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            e.preventDefault();
            void lookup(day, typed, excludeId).then((picked) => picked && onPick(picked));
          }}
        />
      </div>
      {list.isPending && <Loading />}
      {list.isError && <ErrorBox error={list.error} />}
      {list.data && results.length === 0 && (
        <p className="visit-search-empty" role="status">
          {text ? t('visits.search.noMatch', { text }) : t('visits.search.noneThatDay')}
        </p>
      )}
      {results.length > 0 && (
        <ul className="visit-choices" aria-label={t('visits.search.results')}>
          {results.map((v) => (
            <li key={v.id}>
              <button type="button" className="visit-choice" data-visit-id={v.id} onClick={() => onPick(v)}>
                <VisitLine visit={v} />
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
