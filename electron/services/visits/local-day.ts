/**
 * Dates as the clinic lives them: the desk's local time zone decides what "today" is for the
 * visit list, the worklist query (ScheduledProcedureStepStartDate) and visit numbers. DICOM DA/TM
 * carry no zone (PS3.5 §6.2) and are read as local time, as the modality and RIS mean them.
 */

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** YYYYMMDD of the local day containing `ms`. */
export function localDicomDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}`;
}

/** HHMMSS local. */
export function localDicomTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

/** [start, end) epoch ms of the local day named YYYY-MM-DD, or of the day containing `ms`. */
export function localDayBounds(day: string | number): { start: number; end: number } {
  let y: number;
  let m: number;
  let d: number;
  if (typeof day === 'number') {
    const t = new Date(day);
    [y, m, d] = [t.getFullYear(), t.getMonth(), t.getDate()];
  } else {
    [y, m, d] = [Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))];
  }
  return { start: new Date(y, m, d).getTime(), end: new Date(y, m, d + 1).getTime() };
}

/** DICOM DA + TM (local) → epoch ms; null when the date is not a valid DA. */
export function fromDicomDateTime(da: string, tm: string): number | null {
  if (!/^\d{8}$/.test(da)) return null;
  const t = /^(\d{2})(\d{2})?(\d{2})?/.exec(tm);
  const ms = new Date(
    Number(da.slice(0, 4)),
    Number(da.slice(4, 6)) - 1,
    Number(da.slice(6, 8)),
    t ? Number(t[1]) : 0,
    t?.[2] ? Number(t[2]) : 0,
    t?.[3] ? Number(t[3]) : 0,
  ).getTime();
  return Number.isNaN(ms) ? null : ms;
}

/** DICOM DT in UTC with its offset, e.g. 20260115080000.000+0000 (PS3.5 §6.2, DT). */
export function utcDicomDateTime(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}` +
    `${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}+0000`
  );
}
