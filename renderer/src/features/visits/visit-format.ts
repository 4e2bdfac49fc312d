/**
 * How the visits pages read and write dates, names and birth dates. The operator types and reads
 * dd/MM/yyyy (the clinic's paper forms, the slip); the contract speaks DICOM DA (YYYYMMDD, PS3.5
 * §6.2) for birth dates and ISO days (YYYY-MM-DD) for the list filter. Names are never changed
 * except that DICOM's component separator `^` (PS3.5 §6.2.1) is shown as a space.
 */

const two = (n: number) => String(n).padStart(2, '0');

/** The desk's local day of an instant, as `visits.list` takes it: `2026-01-05`. */
export function isoDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/** `2026-01-05` → `05/01/2026`. */
export function isoDayToDisplay(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : day;
}

/** The day before or after an ISO day (calendar arithmetic in local time, DST-safe at noon). */
export function shiftDay(day: string, by: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return isoDay(new Date(y, m - 1, d + by, 12).getTime());
}

function validDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const DMY = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/;

/** `5/1/2026` or `05/01/2026` (also `.` or `-`) → `2026-01-05`; null when it is no real date. */
export function parseDisplayDay(text: string): string | null {
  const m = DMY.exec(text);
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return validDate(y, mo, d) ? `${y}-${two(mo)}-${two(d)}` : null;
}

/**
 * A birth date as typed at the desk — `dd/MM/yyyy`, or the year alone when that is all the
 * patient knows — as DICOM DA (`YYYYMMDD`) or `YYYY`. Null for anything else, including dates in
 * the future relative to `today` (a typo, not a patient).
 */
export function parseBirthDate(text: string, today: string): string | null {
  const year = /^\s*(\d{4})\s*$/.exec(text);
  if (year) {
    const y = Number(year[1]);
    return y >= 1880 && y <= Number(today.slice(0, 4)) ? String(y) : null;
  }
  const day = parseDisplayDay(text);
  if (!day || day > today || day < '1880-01-01') return null;
  return day.replace(/-/g, '');
}

/** DA `19850312` → `12/03/1985`; a year stays a year; anything else is shown as received. */
export function formatBirthDate(value: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : value;
}

/** PN `NGUYỄN^VĂN AN` → `NGUYỄN VĂN AN`; diacritics and case untouched. */
export function personName(pn: string): string {
  return pn
    .split('^')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .join(' ');
}
