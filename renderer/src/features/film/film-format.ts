/**
 * How the film page writes money, record times and default date ranges. Times are shown in the
 * clinic's zone (Asia/Ho_Chi_Minh), the same zone the reports count days in, so a record at
 * 23:50 appears under the day the report puts it in whatever the desk PC's clock zone is.
 */
import { formatDateVN, formatTimeVN, localDate } from '../../../../shared/film-dates';
import type { Language } from '../../i18n/i18n';
import { formatCount } from '../../lib/format';

/** 135.000 đ (Vietnamese grouping in Vietnamese, 135,000 đ in English). */
export function formatVnd(n: number, lang: Language): string {
  return `${formatCount(n, lang)} đ`;
}

export function formatRecordTime(ms: number): string {
  return `${formatDateVN(ms)} ${formatTimeVN(ms)}`;
}

/** The current month so far, as the register and the report open: first day → today. */
export function thisMonthSoFar(now: number): { from: string; to: string } {
  const today = localDate(now);
  return { from: `${today.slice(0, 8)}01`, to: today };
}

/** The previous calendar month, for the monthly KHNV review. */
export function previousMonth(now: number): { from: string; to: string } {
  const today = localDate(now);
  const [y, m] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  const py = m === 1 ? y - 1 : y;
  const pm = m === 1 ? 12 : m - 1;
  const last = new Date(Date.UTC(py, pm, 0)).getUTCDate();
  const mm = String(pm).padStart(2, '0');
  return { from: `${py}-${mm}-01`, to: `${py}-${mm}-${String(last).padStart(2, '0')}` };
}
