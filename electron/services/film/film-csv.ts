/**
 * The register as a CSV file that Excel opens correctly with Vietnamese text: UTF-8 with a BOM
 * (without it Excel reads the bytes as the ANSI code page and "Nguyễn" turns into mojibake),
 * CRLF line ends and RFC 4180 quoting, Vietnamese headers, dates written dd/MM/yyyy.
 *
 * Text cells that Excel would run as a formula (starting with = + - @, tab or CR) get a leading
 * apostrophe (OWASP "CSV injection"); a patient name or a contract number is never code.
 * Voided records stay in the file, marked, because the export is the register itself; the report's
 * figures leave them out.
 */
import { FILM_SIZES } from '../../../shared/film-cases';
import { formatDateVN, formatTimeVN, isoToVN } from '../../../shared/film-dates';
import { CASE_LABELS, SERVER_LABELS, STATE_LABELS, recordState } from '../../../shared/film-labels';
import type { FilmRecordView } from '../../../shared/film-views';

export const CSV_BOM = '\uFEFF';

type Cell = string | number | null;

const COLUMNS: ReadonlyArray<readonly [string, (r: FilmRecordView) => Cell]> = [
  ['Ngày', (r) => formatDateVN(r.recordedAt)],
  ['Giờ', (r) => formatTimeVN(r.recordedAt)],
  ['Trạng thái', (r) => STATE_LABELS.vi[recordState(r)]],
  ['Trường hợp', (r) => CASE_LABELS.vi[r.case]],
  ['Số lượt khám', (r) => r.visitNumber],
  ['Mã người bệnh', (r) => r.patientID],
  ['Họ tên người bệnh', (r) => r.patientName],
  ['Số chỉ định (Accession)', (r) => r.accessionNumber],
  ['Dịch vụ chỉ định', (r) => r.procedureName],
  ['Mã DV không phim', (r) => r.billing?.noFilmCode ?? null],
  ['Giá không phim (VND)', (r) => r.billing?.noFilmPrice ?? null],
  ['Mã DV có phim', (r) => r.billing?.withFilmCode ?? null],
  ['Giá có phim (VND)', (r) => r.billing?.withFilmPrice ?? null],
  ...FILM_SIZES.map((size) => [`Phim ${size}`, (r: FilmRecordView) => r.films.filter((l) => l.size === size).reduce((n, l) => n + l.count, 0)] as const),
  ['Tổng số phim', (r) => r.totalFilms],
  ['Kỹ thuật viên', (r) => r.technician.name],
  ['Tên hợp đồng', (r) => r.contractName],
  ['Số hợp đồng', (r) => r.contractNumber],
  ['Số phiếu yêu cầu', (r) => r.requestReference],
  ['Đã báo tính giá có phim', (r) => (r.chargeAcknowledged === null ? null : r.chargeAcknowledged ? 'Có' : 'Không')],
  ['Mô tả', (r) => r.description],
  ['Người đề xuất', (r) => r.proposedBy],
  ['Người duyệt', (r) => r.approval?.approvedBy ?? null],
  ['Số văn bản duyệt', (r) => r.approval?.approvalReference ?? null],
  ['Ngày duyệt', (r) => (r.approval ? isoToVN(r.approval.approvalDate) : null)],
  ['Lý do hủy', (r) => r.void?.reason ?? null],
  ['Ngày hủy', (r) => (r.void ? formatDateVN(r.void.voidedAt) : null)],
  ['Thay cho bản ghi', (r) => r.replacesId],
  ['Mã bản ghi', (r) => r.id],
  ['Máy chủ phòng khám', (r) => (r.server ? SERVER_LABELS.vi[r.server.status] : null)],
];

export const CSV_HEADERS: readonly string[] = COLUMNS.map(([h]) => h);

function escapeCell(value: Cell, delimiter: string): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return text.includes(delimiter) || /["\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Takes records newest first (as the register lists them) and writes them oldest first, as a register is read. */
export function filmCsv(records: readonly FilmRecordView[], delimiter: ',' | ';' = ','): string {
  const rows = [...records].reverse().sort((a, b) => a.recordedAt - b.recordedAt);
  const lines = [CSV_HEADERS.map((h) => escapeCell(h, delimiter)).join(delimiter)];
  for (const r of rows) lines.push(COLUMNS.map(([, get]) => escapeCell(get(r), delimiter)).join(delimiter));
  return CSV_BOM + lines.join('\r\n') + '\r\n';
}
