/**
 * Calendar arithmetic for the film register in the clinic's own time zone.
 *
 * Reports are asked for by calendar day ("1–31 January") and a film issued at 23:30 on the 31st
 * belongs to January even though it is already 1 February in UTC+0 — so every day boundary is
 * computed in `Asia/Ho_Chi_Minh`, named explicitly rather than taken from the machine's settings
 * (a desk PC set to UTC would otherwise shift every evening record into the next day). Vietnam has
 * no daylight saving time today, but nothing here assumes it: offsets come from the IANA zone.
 * Pure (Intl only), so the renderer formats dates exactly as the reports count them.
 */

export const CLINIC_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** `YYYY-MM-DD`. */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD` (rejects 2025-02-30). */
export function isIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock fields of an instant in the given zone. */
export function localParts(ms: number, timeZone: string = CLINIC_TIME_ZONE): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The clinic-local calendar day of an instant, `YYYY-MM-DD`. */
export function localDate(ms: number, timeZone: string = CLINIC_TIME_ZONE): IsoDate {
  const p = localParts(ms, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** The clinic-local month of an instant, `YYYY-MM`. */
export function localMonth(ms: number, timeZone: string = CLINIC_TIME_ZONE): string {
  return localDate(ms, timeZone).slice(0, 7);
}

/** Offset of the zone from UTC at an instant, in ms (+7 h for Vietnam). */
function offsetAt(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

/** The instant local midnight begins on `date` in the zone. */
export function startOfLocalDay(date: IsoDate, timeZone: string = CLINIC_TIME_ZONE): number {
  const m = ISO_DATE.exec(date);
  if (!m || !isIsoDate(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const naive = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Two passes settle the offset even on a day whose offset changes (a DST zone).
  const first = naive - offsetAt(naive, timeZone);
  return naive - offsetAt(first, timeZone);
}

/** `date` plus `days` calendar days. */
export function addDays(date: IsoDate, days: number): IsoDate {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const t = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** Half-open instant range `[start, end)` covering the local days `from`..`to` inclusive. */
export function localDayRange(from: IsoDate, to: IsoDate, timeZone: string = CLINIC_TIME_ZONE): { start: number; end: number } {
  return { start: startOfLocalDay(from, timeZone), end: startOfLocalDay(addDays(to, 1), timeZone) };
}

/** `dd/MM/yyyy`, the way Vietnamese forms and spreadsheets write a date. */
export function formatDateVN(ms: number, timeZone: string = CLINIC_TIME_ZONE): string {
  const p = localParts(ms, timeZone);
  return `${pad(p.day)}/${pad(p.month)}/${pad(p.year, 4)}`;
}

/** `HH:mm`, 24-hour. */
export function formatTimeVN(ms: number, timeZone: string = CLINIC_TIME_ZONE): string {
  const p = localParts(ms, timeZone);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** `YYYY-MM-DD` → `dd/MM/yyyy`; `YYYY-MM` → `MM/yyyy`. */
export function isoToVN(date: string): string {
  const [y, m, d] = date.split('-');
  return d ? `${d}/${m}/${y}` : `${m}/${y}`;
}
