/**
 * The printable A4 summary for the monthly KHNV review: one self-contained HTML document (inline
 * print CSS, no script, no external resource) that the renderer prints or saves. Every value is
 * HTML-escaped: names and descriptions are typed by people.
 */
import { CASE_LABELS, sizeLabel, type Lang } from '../../../shared/film-labels';
import { formatDateVN, formatTimeVN, isoToVN } from '../../../shared/film-dates';
import type { FilmRecordView, FilmReport } from '../../../shared/film-views';

const TEXT = {
  vi: {
    title: 'BÁO CÁO CÁC TRƯỜNG HỢP CẤP PHIM CỨNG',
    subtitle: 'Các trường hợp cấp phim cứng theo mục 5 Thông báo triển khai PACS và trả kết quả bằng mã QR',
    period: (from: string, to: string) => `Từ ngày ${from} đến ngày ${to}`,
    tz: 'Giờ Việt Nam (Asia/Ho_Chi_Minh)',
    totals: 'Tổng hợp',
    records: 'Số trường hợp',
    films: 'Số phim',
    pending: 'Chờ duyệt',
    voided: 'Đã hủy (không tính)',
    byMonthCase: 'Theo tháng và trường hợp',
    month: 'Tháng',
    case: 'Trường hợp',
    byTech: 'Theo kỹ thuật viên',
    tech: 'Kỹ thuật viên',
    byContract: 'Theo hợp đồng',
    contractName: 'Tên hợp đồng',
    contractNumber: 'Số hợp đồng',
    bySize: 'Phim đã dùng theo khổ',
    size: 'Khổ phim',
    count: 'Số lượng',
    patient: 'Người bệnh yêu cầu — thu theo giá "X-quang có phim"',
    patientCount: 'Số yêu cầu',
    amount: 'Thành tiền (VND)',
    unpriced: 'Chưa có giá trong danh mục',
    pendingList: 'Trường hợp đặc biệt chờ Ban Giám đốc duyệt',
    date: 'Ngày',
    visit: 'Lượt khám',
    patientName: 'Người bệnh',
    description: 'Mô tả',
    proposedBy: 'Người đề xuất',
    none: 'Không có',
    signMaker: 'Người lập biểu',
    signKhnv: 'Trưởng phòng KHNV',
    signBoard: 'Ban Giám đốc',
    signHint: '(Ký, ghi rõ họ tên)',
    printed: (d: string) => `In ngày ${d}`,
  },
  en: {
    title: 'HARD FILM EXCEPTIONS REPORT',
    subtitle: 'Hard film issued under section 5 of the notice on PACS and QR-code results',
    period: (from: string, to: string) => `From ${from} to ${to}`,
    tz: 'Vietnam time (Asia/Ho_Chi_Minh)',
    totals: 'Totals',
    records: 'Cases',
    films: 'Films',
    pending: 'Pending approval',
    voided: 'Voided (not counted)',
    byMonthCase: 'By month and case',
    month: 'Month',
    case: 'Case',
    byTech: 'By technician',
    tech: 'Technician',
    byContract: 'By contract',
    contractName: 'Contract name',
    contractNumber: 'Contract number',
    bySize: 'Films used by size',
    size: 'Film size',
    count: 'Count',
    patient: 'Patient requests — billed as "X-ray with film"',
    patientCount: 'Requests',
    amount: 'Amount (VND)',
    unpriced: 'Not priced in the catalog',
    pendingList: 'Special cases awaiting leadership approval',
    date: 'Date',
    visit: 'Visit',
    patientName: 'Patient',
    description: 'Description',
    proposedBy: 'Proposed by',
    none: 'None',
    signMaker: 'Prepared by',
    signKhnv: 'Head of KHNV',
    signBoard: 'Clinic leadership',
    signHint: '(Signature, full name)',
    printed: (d: string) => `Printed ${d}`,
  },
} as const;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const money = (n: number) => new Intl.NumberFormat('vi-VN').format(n);

function table(head: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>, numeric: ReadonlySet<number>, empty: string): string {
  const th = head.map((h, i) => `<th${numeric.has(i) ? ' class="n"' : ''}>${escapeHtml(h)}</th>`).join('');
  const body = rows.length
    ? rows
        .map(
          (r) =>
            `<tr>${r.map((c, i) => `<td${numeric.has(i) ? ' class="n"' : ''}>${escapeHtml(typeof c === 'number' ? money(c) : c)}</td>`).join('')}</tr>`,
        )
        .join('')
    : `<tr><td colspan="${head.length}" class="empty">${escapeHtml(empty)}</td></tr>`;
  return `<table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

const CSS = `
@page { size: A4 portrait; margin: 15mm 15mm 18mm 20mm; }
* { box-sizing: border-box; }
body { font-family: 'Times New Roman', 'Noto Serif', 'Noto Sans', serif; font-size: 11pt; color: #000; margin: 0; }
header { display: flex; justify-content: space-between; align-items: flex-start; margin-bottom: 6mm; }
.clinic { font-weight: bold; text-transform: uppercase; }
.printed { font-size: 9pt; }
h1 { font-size: 15pt; text-align: center; margin: 0 0 1mm; }
.sub, .period { text-align: center; margin: 0; }
.period { font-style: italic; margin-bottom: 5mm; }
h2 { font-size: 12pt; margin: 5mm 0 2mm; break-after: avoid; }
table { width: 100%; border-collapse: collapse; margin-bottom: 2mm; break-inside: auto; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 0.5pt solid #000; padding: 1mm 1.5mm; vertical-align: top; text-align: left; }
th { background: #eee; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
td.n, th.n { text-align: right; white-space: nowrap; }
td.empty { text-align: center; font-style: italic; }
.signs { display: flex; justify-content: space-between; margin-top: 10mm; break-inside: avoid; text-align: center; }
.signs div { width: 32%; min-height: 30mm; font-weight: bold; }
.signs small { display: block; font-weight: normal; font-style: italic; }
@media screen { body { max-width: 210mm; margin: 10mm auto; padding: 0 10mm; } }
`;

export interface SummaryOptions {
  lang: Lang;
  clinicName: string;
  /** When the summary is produced (ms), printed in its header. */
  now: number;
}

export function filmSummaryHtml(report: FilmReport, { lang, clinicName, now }: SummaryOptions): string {
  const t = TEXT[lang];
  const cases = CASE_LABELS[lang];
  const none = t.none;
  const sections = [
    `<h2>${escapeHtml(t.totals)}</h2>`,
    table(
      [t.records, t.films, t.pending, t.voided],
      [[report.totals.records, report.totals.films, report.totals.pendingApproval, report.totals.voided]],
      new Set([0, 1, 2, 3]),
      none,
    ),
    `<h2>${escapeHtml(t.byMonthCase)}</h2>`,
    table(
      [t.month, t.case, t.records, t.films],
      report.byMonthAndCase.map((r) => [isoToVN(r.month), cases[r.case], r.records, r.films]),
      new Set([2, 3]),
      none,
    ),
    `<h2>${escapeHtml(t.byTech)}</h2>`,
    table([t.tech, t.records, t.films], report.byTechnician.map((r) => [r.name, r.records, r.films]), new Set([1, 2]), none),
    `<h2>${escapeHtml(t.byContract)}</h2>`,
    table(
      [t.contractName, t.contractNumber, t.records, t.films],
      report.byContract.map((r) => [r.contractName, r.contractNumber, r.records, r.films]),
      new Set([2, 3]),
      none,
    ),
    `<h2>${escapeHtml(t.bySize)}</h2>`,
    table([t.size, t.count], report.filmsBySize.map((r) => [sizeLabel(r.size), r.count]), new Set([1]), none),
    `<h2>${escapeHtml(t.patient)}</h2>`,
    table(
      [t.patientCount, t.amount, t.unpriced],
      [[report.patientRequestsBilled.count, report.patientRequestsBilled.amount, report.patientRequestsBilled.unpriced]],
      new Set([0, 1, 2]),
      none,
    ),
    `<h2>${escapeHtml(t.pendingList)}</h2>`,
    table(
      [t.date, t.visit, t.patientName, t.description, t.proposedBy],
      report.pendingApprovals.map((r: FilmRecordView) => [
        `${formatDateVN(r.recordedAt)} ${formatTimeVN(r.recordedAt)}`,
        r.visitNumber,
        r.patientName,
        r.description ?? '',
        r.proposedBy ?? '',
      ]),
      new Set(),
      none,
    ),
  ];
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(`${t.title} ${isoToVN(report.from)}–${isoToVN(report.to)}`)}</title>
<style>${CSS}</style>
</head>
<body>
<header><div class="clinic">${escapeHtml(clinicName)}</div><div class="printed">${escapeHtml(t.printed(`${formatDateVN(now)} ${formatTimeVN(now)}`))}</div></header>
<h1>${escapeHtml(t.title)}</h1>
<p class="sub">${escapeHtml(t.subtitle)}</p>
<p class="period">${escapeHtml(`${t.period(isoToVN(report.from), isoToVN(report.to))} — ${t.tz}`)}</p>
${sections.join('\n')}
<div class="signs"><div>${escapeHtml(t.signMaker)}<small>${escapeHtml(t.signHint)}</small></div><div>${escapeHtml(t.signKhnv)}<small>${escapeHtml(t.signHint)}</small></div><div>${escapeHtml(t.signBoard)}<small>${escapeHtml(t.signHint)}</small></div></div>
</body>
</html>
`;
}
