/**
 * DICOM values as the desk shows them: dates dd/MM/yyyy (the clinic's paper forms and the slip use
 * the same), times HH:mm, ages in years (months under two), sex in the UI language. Values are
 * taken as strings from the contract and never re-encoded, so a Vietnamese name stays exactly as
 * the modality wrote it.
 */

/** DA (PS3.5 §6.2) `YYYYMMDD` → `dd/MM/yyyy`; anything else is shown as received. */
export function formatDa(da: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(da.trim());
  return m ? `${m[3]}/${m[2]}/${m[1]}` : da.trim();
}

/** TM (PS3.5 §6.2) `HHMMSS.ffffff` (or `HHMM`, `HH`) → `HH:mm`. */
export function formatTm(tm: string): string {
  const m = /^(\d{2})(\d{2})?/.exec(tm.trim());
  if (!m) return tm.trim();
  return `${m[1]}:${m[2] ?? '00'}`;
}

export interface Age {
  readonly value: number;
  readonly unit: 'years' | 'months';
}

/**
 * Age on the study date (or today), from DA birth date. Under two years old it is counted in
 * months, as paediatric requests are. Null when either date is missing or malformed.
 */
export function ageAt(birthDa: string, onDa: string): Age | null {
  const b = /^(\d{4})(\d{2})(\d{2})$/.exec(birthDa.trim());
  const o = /^(\d{4})(\d{2})(\d{2})$/.exec(onDa.trim());
  if (!b || !o) return null;
  const [by, bm, bd] = [Number(b[1]), Number(b[2]), Number(b[3])];
  const [oy, om, od] = [Number(o[1]), Number(o[2]), Number(o[3])];
  let months = (oy - by) * 12 + (om - bm) - (od < bd ? 1 : 0);
  if (months < 0) return null;
  if (months < 24) return { value: months, unit: 'months' };
  months = Math.floor(months / 12);
  return { value: months, unit: 'years' };
}

/** Today as DA, in the desk's local time. */
export function todayDa(now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}`;
}

export type SexCode = 'M' | 'F' | 'O' | '';

/** PatientSex (0010,0040) is M, F or O; anything else is unknown. */
export function sexCode(sex: string): SexCode {
  const s = sex.trim().toUpperCase();
  return s === 'M' || s === 'F' || s === 'O' ? s : '';
}
