/**
 * The admin pages: plain server-rendered tables, no script. Labels are bilingual in place
 * ("Vietnamese / English"): the readers are clinic staff and the occasional outside auditor.
 */
import { html, type HtmlValue, type SafeHtml } from '../http/html';
import type { StaticAssets } from '../http/static-assets';
import { CASE_LABELS, sizeLabel } from '../../../shared/film-labels';
import { formatDateVN, formatTimeVN } from '../../../shared/film-dates';
import type { FilmRecordView, FilmReport } from '../../../shared/film-views';
import { maskName } from '../result/mask-name';

export interface AdminFrame {
  readonly assets: StaticAssets;
  readonly user: { username: string; csrf: string } | null;
}

const when = (ms: number | null) => (ms === null ? '—' : `${formatDateVN(ms)} ${formatTimeVN(ms)}`);

export function adminLayout(f: AdminFrame, title: string, body: SafeHtml): SafeHtml {
  return html`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${title}</title>
<link rel="stylesheet" href="${f.assets.url('admin.css')}">
</head>
<body>
${
  f.user
    ? html`<nav><a href="/admin">Tổng quan / Overview</a><a href="/admin/film">Phim cứng / Film</a><a href="/admin/slips">Phiếu / Slips</a><a href="/admin/revocations">Thu hồi / Revoked</a><a href="/admin/access">Truy cập / Access</a><a href="/admin/desks">Máy trạm / Desks</a>
<form class="inline" method="post" action="/admin/logout"><input type="hidden" name="csrf" value="${f.user.csrf}"><button type="submit">Đăng xuất / Sign out (${f.user.username})</button></form></nav>`
    : ''
}
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`;
}

function table(headers: readonly string[], rows: readonly (readonly HtmlValue[])[], numeric: ReadonlySet<number> = new Set()): SafeHtml {
  if (rows.length === 0) return html`<p class="muted">Không có dữ liệu / No data</p>`;
  return html`<div class="scroll"><table><thead><tr>${headers.map((h, i) => html`<th${numeric.has(i) ? html` class="n"` : ''}>${h}</th>`)}</tr></thead>
<tbody>${rows.map((r) => html`<tr>${r.map((c, i) => html`<td${numeric.has(i) ? html` class="n"` : ''}>${c}</td>`)}</tr>`)}</tbody></table></div>`;
}

export function loginPage(f: AdminFrame, error: string | null): SafeHtml {
  return adminLayout(
    f,
    'Đăng nhập quản trị / Admin sign-in',
    html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/admin/login">
<p><label>Tên đăng nhập / User<br><input name="username" autocomplete="username" required></label></p>
<p><label>Mật khẩu / Password<br><input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button type="submit">Đăng nhập / Sign in</button></p>
</form>`,
  );
}

export interface Overview {
  desks: number;
  slips30d: number;
  revoked30d: number;
  views30d: number;
  downloads30d: number;
  film30d: number;
  locks30d: number;
}

export function overviewPage(f: AdminFrame, o: Overview): SafeHtml {
  return adminLayout(
    f,
    'Tổng quan / Overview',
    html`<p class="muted">30 ngày gần nhất / Last 30 days</p>
${table(
  ['Máy trạm / Desks', 'Phiếu đã cấp / Slips issued', 'Đã thu hồi / Revoked', 'Lượt xem / Views', 'Lượt tải / Downloads', 'Phim cứng / Film exceptions', 'Khóa năm sinh / Birth-year locks'],
  [[o.desks, o.slips30d, o.revoked30d, o.views30d, o.downloads30d, o.film30d, o.locks30d]],
  new Set([0, 1, 2, 3, 4, 5, 6]),
)}`,
  );
}

export function filmPage(f: AdminFrame, from: string, to: string, report: FilmReport, records: readonly FilmRecordView[], error: string | null): SafeHtml {
  const cases = CASE_LABELS.vi;
  const q = `from=${from}&to=${to}`;
  return adminLayout(
    f,
    'Báo cáo cấp phim cứng / Film exceptions report',
    html`<form method="get" action="/admin/film">
<label>Từ / From <input type="date" name="from" value="${from}"></label>
<label>Đến / To <input type="date" name="to" value="${to}"></label>
<button type="submit">Xem / Show</button>
<a href="/admin/film/summary?${q}">Bản in A4 / Printable A4</a> · <a href="/admin/film.csv?${q}">CSV (Excel)</a>
</form>
${error ? html`<p class="error">${error}</p>` : ''}
<h2>Tổng hợp / Totals</h2>
${table(['Số trường hợp / Records', 'Số phim / Films', 'Chờ duyệt / Pending', 'Đã hủy / Voided'], [[report.totals.records, report.totals.films, report.totals.pendingApproval, report.totals.voided]], new Set([0, 1, 2, 3]))}
<h2>Theo tháng và trường hợp / By month and case</h2>
${table(['Tháng / Month', 'Trường hợp / Case', 'Số trường hợp / Records', 'Số phim / Films'], report.byMonthAndCase.map((r) => [r.month, cases[r.case], r.records, r.films]), new Set([2, 3]))}
<h2>Theo kỹ thuật viên / By technician</h2>
${table(['Kỹ thuật viên / Technician', 'Số trường hợp / Records', 'Số phim / Films'], report.byTechnician.map((r) => [r.name, r.records, r.films]), new Set([1, 2]))}
<h2>Theo hợp đồng / By contract</h2>
${table(['Tên hợp đồng / Contract', 'Số hợp đồng / Number', 'Số trường hợp / Records', 'Số phim / Films'], report.byContract.map((r) => [r.contractName, r.contractNumber, r.records, r.films]), new Set([2, 3]))}
<h2>Phim theo khổ / Films by size</h2>
${table(['Khổ / Size', 'Số phim / Films'], report.filmsBySize.map((r) => [sizeLabel(r.size), r.count]), new Set([1]))}
<h2>Người bệnh yêu cầu (tính phí) / Patient requests billed</h2>
${table(['Số ca / Count', 'Thành tiền (VND) / Amount', 'Chưa có giá / Unpriced'], [[report.patientRequestsBilled.count, report.patientRequestsBilled.amount.toLocaleString('vi-VN'), report.patientRequestsBilled.unpriced]], new Set([0, 1, 2]))}
<h2>Danh sách / Records</h2>
${table(
  ['Thời gian / Time', 'Máy / Desk', 'KTV / Technician', 'Lượt khám / Visit', 'Người bệnh / Patient', 'Trường hợp / Case', 'Phim / Films', 'Trạng thái / State'],
  records.map((r) => [
    when(r.recordedAt),
    r.deskId.slice(0, 8),
    r.technician.name,
    r.visitNumber,
    maskName(r.patientName),
    cases[r.case],
    r.films.map((l) => `${l.count} × ${sizeLabel(l.size)}`).join(', '),
    r.void ? `Đã hủy / Voided: ${r.void.reason}` : r.pendingApproval ? 'Chờ duyệt / Pending' : 'Hiệu lực / Active',
  ]),
)}`,
  );
}

export interface SlipListItem {
  tokenHash: string;
  issuedAt: number;
  expiresAt: number;
  desk: string;
  visitNumber: string;
  lookupCode: string;
  patientName: string;
  exams: string[];
  revokedAt: number | null;
  views: number;
  downloads: number;
}

export function slipsPage(f: AdminFrame, items: readonly SlipListItem[], now: number, q: string, notice: SafeHtml | null): SafeHtml {
  const csrf = f.user?.csrf ?? '';
  return adminLayout(
    f,
    'Phiếu kết quả / Result slips',
    html`${notice ?? ''}
<form method="get" action="/admin/slips"><label>Số lượt khám hoặc mã tra cứu / Visit number or lookup code <input name="q" value="${q}"></label> <button type="submit">Tìm / Search</button></form>
<form method="post" action="/admin/slips/revoke">
<input type="hidden" name="csrf" value="${csrf}">
<p><label>Thu hồi bằng đường link trên phiếu / Revoke by the slip's link <input name="link" size="40" placeholder="https://…/r/…" autocomplete="off"></label>
<label>Lý do / Reason <input name="reason" required maxlength="200"></label> <button type="submit">Thu hồi / Revoke</button></p>
</form>
${table(
  ['Cấp lúc / Issued', 'Máy / Desk', 'Lượt khám / Visit', 'Mã tra cứu / Lookup', 'Người bệnh / Patient', 'Chỉ định / Exams', 'Mã / Token', 'Trạng thái / Status', 'Xem / Views', 'Tải / Downloads', ''],
  items.map((s) => [
    when(s.issuedAt),
    s.desk,
    s.visitNumber,
    s.lookupCode,
    maskName(s.patientName),
    s.exams.join(', '),
    html`<code>${s.tokenHash.slice(0, 8)}</code>`,
    s.revokedAt !== null ? `Đã thu hồi / Revoked ${when(s.revokedAt)}` : s.expiresAt <= now ? 'Hết hạn / Expired' : `Hiệu lực đến / Valid to ${formatDateVN(s.expiresAt)}`,
    s.views,
    s.downloads,
    s.revokedAt === null
      ? html`<form class="inline" method="post" action="/admin/slips/revoke"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="tokenHash" value="${s.tokenHash}"><input name="reason" required maxlength="200" placeholder="Lý do / Reason" size="12"> <button type="submit">Thu hồi / Revoke</button></form>`
      : '',
  ]),
  new Set([8, 9]),
)}`,
  );
}

export function revocationsPage(f: AdminFrame, items: readonly { tokenHash: string; revokedAt: number; reason: string; source: string; actor: string; visitNumber: string | null }[]): SafeHtml {
  return adminLayout(
    f,
    'Mã đã thu hồi / Revoked tokens',
    table(
      ['Thời gian / Time', 'Mã / Token', 'Lượt khám / Visit', 'Nguồn / Source', 'Người / By', 'Lý do / Reason'],
      items.map((r) => [when(r.revokedAt), html`<code>${r.tokenHash.slice(0, 8)}</code>`, r.visitNumber ?? '—', r.source, r.actor, r.reason]),
    ),
  );
}

export function accessPage(f: AdminFrame, items: readonly { at: number; tokenHash: string; event: string }[]): SafeHtml {
  return adminLayout(
    f,
    'Nhật ký truy cập / Access log',
    table(
      ['Thời gian / Time', 'Mã / Token', 'Sự kiện / Event'],
      items.map((r) => [when(r.at), html`<code>${r.tokenHash.slice(0, 8)}</code>`, r.event]),
    ),
  );
}

export function desksPage(f: AdminFrame, desks: readonly { id: string; name: string; createdAt: number; lastSeenAt: number | null; records: number }[], newKey: { name: string; apiKey: string } | null, error: string | null): SafeHtml {
  return adminLayout(
    f,
    'Máy trạm / Desks',
    html`${
      newKey
        ? html`<p class="ok">Đã đăng ký "${newKey.name}". Khóa API chỉ hiện một lần — nhập vào cài đặt của máy trạm (server.apiKey). / Enrolled; the API key is shown once — enter it in the desk's settings.</p><p class="key">${newKey.apiKey}</p>`
        : ''
    }${error ? html`<p class="error">${error}</p>` : ''}
<form method="post" action="/admin/desks"><input type="hidden" name="csrf" value="${f.user?.csrf ?? ''}">
<label>Tên máy trạm mới / New desk name <input name="name" required maxlength="80"></label> <button type="submit">Đăng ký / Enrol</button></form>
${table(
  ['Tên / Name', 'Mã / Id', 'Đăng ký / Enrolled', 'Lần cuối / Last seen', 'Bản ghi / Records'],
  desks.map((d) => [d.name, d.id.slice(0, 8), when(d.createdAt), when(d.lastSeenAt), d.records]),
  new Set([4]),
)}`,
  );
}
