/**
 * Names of the film cases and record states in both languages, for the documents the desk
 * produces outside the UI (CSV export, printable summary), which must read the same as the screen.
 */
import type { FilmCase } from './film-cases';

export type Lang = 'vi' | 'en';

export const CASE_LABELS: Readonly<Record<Lang, Readonly<Record<FilmCase, string>>>> = {
  vi: { CONTRACT: 'Hợp đồng dịch vụ', PATIENT_REQUEST: 'Người bệnh yêu cầu', SPECIAL: 'Trường hợp đặc biệt' },
  en: { CONTRACT: 'Service contract', PATIENT_REQUEST: 'Patient request', SPECIAL: 'Special case' },
};

export type RecordState = 'active' | 'pending' | 'voided';

export const STATE_LABELS: Readonly<Record<Lang, Readonly<Record<RecordState, string>>>> = {
  vi: { active: 'Hiệu lực', pending: 'Chờ duyệt', voided: 'Đã hủy' },
  en: { active: 'Active', pending: 'Pending approval', voided: 'Voided' },
};

export const SERVER_LABELS: Readonly<Record<Lang, Readonly<Record<'pending' | 'delivered' | 'rejected', string>>>> = {
  vi: { pending: 'Chưa gửi', delivered: 'Đã gửi', rejected: 'Bị từ chối' },
  en: { pending: 'Not sent yet', delivered: 'Delivered', rejected: 'Rejected' },
};

export function recordState(r: { void: unknown; pendingApproval: boolean }): RecordState {
  if (r.void) return 'voided';
  return r.pendingApproval ? 'pending' : 'active';
}

/** "35x43" → "35×43 cm". */
export function sizeLabel(size: string): string {
  return `${size.replace('x', '×')} cm`;
}
