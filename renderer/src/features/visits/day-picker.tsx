/**
 * Picks the day a visit list shows: previous / next day, today, or a date typed as dd/MM/yyyy.
 * A text box rather than `<input type="date">`, whose format follows the operating system's
 * locale and would show MM/dd/yyyy on an English Windows — the desk writes dates one way only.
 */
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isoDay, isoDayToDisplay, parseDisplayDay, shiftDay } from './visit-format';

export function DayPicker({ day, onChange, idPrefix }: { day: string; onChange: (day: string) => void; idPrefix?: string }) {
  const { t } = useTranslation();
  const generated = useId();
  const inputId = `${idPrefix ?? generated}-day`;
  const [text, setText] = useState(isoDayToDisplay(day));
  const [invalid, setInvalid] = useState(false);
  useEffect(() => {
    setText(isoDayToDisplay(day));
    setInvalid(false);
  }, [day]);

  const commit = () => {
    const parsed = parseDisplayDay(text);
    if (parsed) {
      setInvalid(false);
      if (parsed !== day) onChange(parsed);
    } else setInvalid(true);
  };
  const today = isoDay(Date.now());

  return (
    <div className="day-picker" role="group" aria-label={t('visits.day.label')}>
      <button type="button" onClick={() => onChange(shiftDay(day, -1))} aria-label={t('visits.day.previous')} title={t('visits.day.previous')}>
        ◀
      </button>
      <label className="visually-hidden" htmlFor={inputId}>
        {t('visits.day.label')}
      </label>
      <input
        id={inputId}
        type="text"
        inputMode="numeric"
        className="day-input"
        value={text}
        placeholder="dd/MM/yyyy"
        aria-invalid={invalid || undefined}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          }
        }}
      />
      <button type="button" onClick={() => onChange(shiftDay(day, 1))} aria-label={t('visits.day.next')} title={t('visits.day.next')}>
        ▶
      </button>
      <button type="button" onClick={() => onChange(today)} disabled={day === today}>
        {t('visits.day.today')}
      </button>
    </div>
  );
}
