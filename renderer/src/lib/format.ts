/**
 * How the desk writes dates, times and quantities: the Vietnamese convention (dd/MM/yyyy, 24-hour
 * HH:mm) in both UI languages, so a date on screen matches the one on the printed slip and on the
 * clinic's paper forms. Built by hand rather than by Intl date styles, whose output depends on the
 * ICU data of the machine. Times are the desk's local time.
 */
import type { Language } from '../i18n/i18n';

const two = (n: number) => String(n).padStart(2, '0');

/** 05/01/2026 */
export function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getDate())}/${two(d.getMonth() + 1)}/${d.getFullYear()}`;
}

/** 07:03 */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** 05/01/2026 07:03 */
export function formatDateTime(ms: number): string {
  return `${formatDate(ms)} ${formatTime(ms)}`;
}

/** 05/01/2026 07:03:09 — for the audit log, where order within a minute matters. */
export function formatDateTimeSeconds(ms: number): string {
  return `${formatDateTime(ms)}:${two(new Date(ms).getSeconds())}`;
}

const LOCALES: Record<Language, string> = { vi: 'vi-VN', en: 'en-GB' };

/** 1.234 in Vietnamese, 1,234 in English. */
export function formatCount(n: number, lang: Language): string {
  return new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 0 }).format(n);
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** Decimal units (1 MB = 10^6 B, as disks and networks count): 1,5 GB in Vietnamese, 1.5 GB in English. */
export function formatBytes(bytes: number, lang: Language): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  const text = new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(value);
  return `${text} ${UNITS[unit]}`;
}
