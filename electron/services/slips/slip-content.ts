/**
 * What goes on a slip, as plain strings in the slip's language: built from the visit, the
 * settings and the link, so the layout only places text and never decides wording.
 *
 * The slip is printed in `ui.language`. Its title, scan instruction, birth-year notice and footer
 * come from `slips.template` (editable); the field labels are fixed here.
 */
import type { Settings } from '../../../shared/settings-schema';
import { visitExams, type SlipVisit } from './visit-query';

export type SlipLanguage = 'vi' | 'en';

export interface SlipContent {
  readonly clinic: { readonly name: string; readonly lines: readonly string[] };
  readonly title: string;
  readonly patientName: readonly [label: string, value: string];
  readonly birthYear: readonly [string, string];
  readonly sex: readonly [string, string];
  readonly patientID: readonly [string, string];
  readonly visitNumber: readonly [string, string];
  readonly exams: { readonly label: string; readonly items: readonly string[] };
  readonly examTime: readonly [string, string];
  readonly url: string;
  readonly scanInstruction: string;
  readonly lookupCode: readonly [string, string];
  readonly expiry: readonly [string, string];
  readonly birthYearNotice: string | null;
  readonly technician: readonly [string, string] | null;
  readonly footer: string | null;
}

const LABELS = {
  vi: {
    phone: 'ĐT',
    name: 'Họ tên',
    birthYear: 'Năm sinh',
    sex: 'Giới tính',
    patientID: 'Mã BN',
    visitNumber: 'Lượt khám',
    exams: 'Chỉ định',
    examTime: 'Ngày chụp',
    lookupCode: 'Mã tra cứu',
    expiry: 'Hiệu lực đến',
    technician: 'KTV',
    sexes: { M: 'Nam', F: 'Nữ', O: 'Khác' },
  },
  en: {
    phone: 'Tel',
    name: 'Name',
    birthYear: 'Year of birth',
    sex: 'Sex',
    patientID: 'Patient ID',
    visitNumber: 'Visit',
    exams: 'Exams',
    examTime: 'Date',
    lookupCode: 'Lookup code',
    expiry: 'Valid until',
    technician: 'Technician',
    sexes: { M: 'Male', F: 'Female', O: 'Other' },
  },
} as const;

const NONE = '—';

export interface SlipContentInput {
  readonly visit: SlipVisit;
  readonly settings: Settings;
  readonly url: string;
  /** As printed, e.g. `ABCD-2345`. */
  readonly lookupCode: string;
  readonly expiresAt: number;
  readonly technician: string | null;
  /** IANA zone the clinic's clocks show, e.g. `Asia/Ho_Chi_Minh`. */
  readonly timeZone: string;
}

export function buildSlipContent({ visit, settings, url, lookupCode, expiresAt, technician, timeZone }: SlipContentInput): SlipContent {
  const lang: SlipLanguage = settings.ui.language;
  const L = LABELS[lang];
  const texts = settings.slips.template[lang];
  const { name, address, phone } = settings.clinic;
  return {
    clinic: { name, lines: [address, phone ? `${L.phone}: ${phone}` : ''].filter((l) => l.trim() !== '') },
    title: texts.title,
    patientName: [L.name, displayName(visit.patientName) || NONE],
    birthYear: [L.birthYear, /^\d{4}/.test(visit.birthDate) ? visit.birthDate.slice(0, 4) : NONE],
    sex: [L.sex, visit.sex === '' ? NONE : L.sexes[visit.sex]],
    patientID: [L.patientID, visit.patientID || NONE],
    visitNumber: [L.visitNumber, visit.visitNumber || NONE],
    exams: { label: L.exams, items: withFallback(visitExams(visit)) },
    examTime: [L.examTime, examTime(visit, timeZone)],
    url,
    scanInstruction: texts.scanInstruction,
    lookupCode: [L.lookupCode, lookupCode],
    expiry: [L.expiry, formatDate(expiresAt, timeZone)],
    birthYearNotice: settings.slips.requireBirthYear ? texts.birthYearNotice : null,
    technician: technician ? [L.technician, technician] : null,
    footer: footerLine(texts.footer, phone),
  };
}

/**
 * The name as written, with DICOM PN component separators (`^`, PS3.5 §6.2.1) shown as spaces.
 * Letters, case and diacritics are left exactly as entered.
 */
export function displayName(pn: string): string {
  return pn.replace(/\^+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** The footer with `{phone}` filled in; dropped when it needs a phone the clinic has not set. */
function footerLine(template: string, phone: string): string | null {
  if (template.includes('{phone}') && phone.trim() === '') return null;
  return template.replaceAll('{phone}', phone.trim());
}

function withFallback(items: string[]): string[] {
  return items.length > 0 ? items : [NONE];
}

/** When the images were taken (first study's DA/TM), else when the visit was scheduled or created. */
function examTime(v: SlipVisit, timeZone: string): string {
  const first = v.studies.find((s) => /^\d{8}$/.test(s.studyDate));
  if (first) {
    const d = first.studyDate;
    const t = /^\d{4}/.test(first.studyTime) ? `${first.studyTime.slice(0, 2)}:${first.studyTime.slice(2, 4)}` : '';
    return `${d.slice(6, 8)}/${d.slice(4, 6)}/${d.slice(0, 4)}${t ? ` ${t}` : ''}`;
  }
  return formatDateTime(v.scheduledAt ?? v.createdAt, timeZone);
}

function parts(ms: number, timeZone: string): Record<string, string> {
  const fmt = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return Object.fromEntries(fmt.formatToParts(ms).map((p) => [p.type, p.value]));
}

/** dd/MM/yyyy HH:mm in the clinic's zone. */
export function formatDateTime(ms: number, timeZone: string): string {
  const p = parts(ms, timeZone);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/** dd/MM/yyyy in the clinic's zone. */
export function formatDate(ms: number, timeZone: string): string {
  const p = parts(ms, timeZone);
  return `${p.day}/${p.month}/${p.year}`;
}
