/**
 * A seeded January 2026 (with records either side of the month's edges in Vietnamese time), its
 * report checked against numbers worked out by hand, its CSV read back by a CSV parser
 * (papaparse), and its printable summary.
 */
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDesk, type TestDesk } from '../support/desk';
import type { Caller } from '../../electron/core/dispatch';
import type { FilmRecordInput } from '../../shared/film-cases';
import { CSV_HEADERS } from '../../electron/services/film/film-csv';
import { insertVisit } from './film-fixtures';

let t: TestDesk;
let an: Caller;
let binh: Caller;
const ids: Record<string, string> = {};

/** An instant given as Vietnamese wall-clock time (UTC+7). */
const vn = (y: number, mo: number, d: number, h: number, mi: number) => Date.UTC(y, mo - 1, d, h - 7, mi);

const contract1 = { contractName: 'HĐ KSK Công ty Điện lực Đà Nẵng', contractNumber: 'HĐ-01' };
const contract2 = { contractName: 'HĐ KSK Trường THPT Phan Châu Trinh', contractNumber: 'HĐ-02' };
const request = { requestReference: 'PYC-1', chargeAcknowledged: true };
const special = { description: 'Chuyển tuyến, tuyến trên yêu cầu phim', proposedBy: 'Trần Thị Bích (KHNV)' };
const approved = { approvedBy: 'BS. Lê Quốc Hùng', approvalReference: '12/QĐ', approvalDate: '2026-01-21' };

async function seed(key: string, at: number, who: Caller, procedureCode: string, patientName: string, form: Omit<FilmRecordInput, 'visitId'>) {
  t.clock.set(at);
  const visit = insertVisit(t.desk.db, { procedureCode, procedureName: '', patientName });
  ids[key] = (await t.call('film.record', { ...form, visitId: visit.id }, who)).id;
}

beforeAll(async () => {
  t = await startTestDesk();
  an = { operatorId: (await t.call('operators.create', { name: 'KTV An', role: 'technician' })).id };
  binh = { operatorId: (await t.call('operators.create', { name: 'KTV Bình', role: 'technician' })).id };

  await seed('dec31', vn(2025, 12, 31, 23, 30), an, 'XQ.NGUC.T', 'LÊ THỊ CUỐI NĂM', { case: 'PATIENT_REQUEST', films: [{ size: '35x43', count: 5 }], ...request });
  await seed('r1', vn(2026, 1, 1, 0, 10), an, 'XQ.NGUC.T', 'NGUYỄN VĂN ẤN', { case: 'CONTRACT', films: [{ size: '35x43', count: 1 }], ...contract1 });
  await seed('r2', vn(2026, 1, 5, 9, 0), an, 'XQ.CSC.TN', 'TRẦN "BÉ" THỊ, MAI', {
    case: 'CONTRACT',
    films: [
      { size: '35x43', count: 1 },
      { size: '24x30', count: 1 },
    ],
    ...contract1,
  });
  await seed('r3', vn(2026, 1, 6, 10, 0), binh, 'XQ.NGUC.T', 'PHẠM QUỲNH ANH', { case: 'CONTRACT', films: [{ size: '35x35', count: 2 }], ...contract2 });
  await seed('r4', vn(2026, 1, 10, 14, 0), binh, 'XQ.NGUC.T', 'HOÀNG ĐỨC THẮNG', { case: 'PATIENT_REQUEST', films: [{ size: '35x43', count: 1 }], ...request });
  await seed('r5', vn(2026, 1, 12, 8, 30), an, 'XQ.CSTL.TN', 'VÕ THỊ SÁU', { case: 'PATIENT_REQUEST', films: [{ size: '35x43', count: 2 }], ...request });
  await seed('r6', vn(2026, 1, 15, 15, 0), binh, 'XQ.KHONG.CO', 'ĐẶNG VĂN LÂM', { case: 'PATIENT_REQUEST', films: [{ size: '18x24', count: 1 }], ...request });
  await seed('r7', vn(2026, 1, 20, 11, 0), an, 'XQ.GOI.TN', 'BÙI THỊ XUÂN', { case: 'PATIENT_REQUEST', films: [{ size: '24x30', count: 2 }], ...request });
  await t.call('film.void', { id: ids.r7!, reason: 'Người bệnh không nhận phim' }, an);
  await seed('r8', vn(2026, 1, 22, 16, 0), binh, 'XQ.NGUC.T', 'LÝ THƯỜNG KIỆT', { case: 'SPECIAL', films: [{ size: '35x43', count: 1 }], ...special, ...approved });
  await seed('r9', vn(2026, 1, 31, 23, 50), an, 'XQ.NGUC.T', 'NGÔ QUYỀN', {
    case: 'SPECIAL',
    films: [{ size: '24x30', count: 1 }],
    ...special,
    description: '=HYPERLINK("http://x")',
    pendingApproval: true,
  });
  await seed('feb1', vn(2026, 2, 1, 0, 5), binh, 'XQ.NGUC.T', 'MAI HẮC ĐẾ', { case: 'CONTRACT', films: [{ size: '35x43', count: 3 }], ...contract1 });
});
afterAll(async () => {
  await t.close();
});

describe('film.report', () => {
  it('January 2026 matches the hand-computed figures', async () => {
    const r = await t.call('film.report', { from: '2026-01-01', to: '2026-01-31' });
    expect(r.timeZone).toBe('Asia/Ho_Chi_Minh');
    expect(r.totals).toEqual({ records: 8, films: 11, pendingApproval: 1, voided: 1 });
    expect(r.byMonthAndCase).toEqual([
      { month: '2026-01', case: 'CONTRACT', records: 3, films: 5 },
      { month: '2026-01', case: 'PATIENT_REQUEST', records: 3, films: 4 },
      { month: '2026-01', case: 'SPECIAL', records: 2, films: 2 },
    ]);
    expect(r.byTechnician).toEqual([
      { operatorId: an.operatorId, name: 'KTV An', records: 4, films: 6 },
      { operatorId: binh.operatorId, name: 'KTV Bình', records: 4, films: 5 },
    ]);
    expect(r.byContract).toEqual([
      { ...contract1, records: 2, films: 3 },
      { ...contract2, records: 1, films: 2 },
    ]);
    expect(r.filmsBySize).toEqual([
      { size: '35x43', count: 6 },
      { size: '35x35', count: 2 },
      { size: '24x30', count: 2 },
      { size: '18x24', count: 1 },
    ]);
    // r4 chest with film 135 000 + r5 lumbar spine with film 250 000; r6 has no catalog entry; r7 voided.
    expect(r.patientRequestsBilled).toEqual({ count: 3, amount: 385_000, unpriced: 1 });
    expect(r.pendingApprovals.map((p) => p.id)).toEqual([ids.r9]);
  });

  it('counts days in Vietnamese time, not UTC', async () => {
    const dec31 = await t.call('film.report', { from: '2025-12-31', to: '2025-12-31' });
    expect(dec31.totals).toMatchObject({ records: 1, films: 5 });
    const jan1 = await t.call('film.report', { from: '2026-01-01', to: '2026-01-01' });
    expect(jan1.byContract).toEqual([{ ...contract1, records: 1, films: 1 }]);
    const feb = await t.call('film.report', { from: '2026-02-01', to: '2026-02-28' });
    expect(feb.totals.records).toBe(1);
    const both = await t.call('film.report', { from: '2025-12-01', to: '2026-02-28' });
    expect(both.byMonthAndCase.map((m) => m.month)).toEqual(['2025-12', '2026-01', '2026-01', '2026-01', '2026-02']);
  });

  it('a reversed range is refused on `to`', async () => {
    const r = await t.raw('film.report', { from: '2026-01-31', to: '2026-01-01' });
    expect(r.ok === false && r.error.field).toBe('to');
  });
});

describe('film.exportCsv', () => {
  it('is UTF-8 with BOM and CRLF, and round-trips Vietnamese through a CSV parser', async () => {
    const out = await t.call('film.exportCsv', { from: '2026-01-01', to: '2026-01-31' });
    expect(out.fileName).toBe('so-cap-phim_2026-01-01_2026-01-31.csv');
    expect([...Buffer.from(out.csv, 'utf8').subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(out.csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);

    const parsed = Papa.parse<string[]>(out.csv.slice(1), { skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    const [header, ...rows] = parsed.data;
    expect(header).toEqual([...CSV_HEADERS]);
    expect(header).toContain('Họ tên người bệnh');
    // The register keeps voided records, marked: 8 active + 1 voided, oldest first.
    expect(rows).toHaveLength(9);
    const col = (name: string) => header!.indexOf(name);
    const byId = new Map(rows.map((r) => [r[col('Mã bản ghi')], r]));

    const r1 = byId.get(ids.r1)!;
    expect(rows[0]).toBe(r1);
    expect(r1[col('Ngày')]).toBe('01/01/2026'); // 31/12 in UTC
    expect(r1[col('Giờ')]).toBe('00:10');
    expect(r1[col('Họ tên người bệnh')]).toBe('NGUYỄN VĂN ẤN');
    expect(r1[col('Trường hợp')]).toBe('Hợp đồng dịch vụ');
    expect(r1[col('Tên hợp đồng')]).toBe('HĐ KSK Công ty Điện lực Đà Nẵng');
    expect(r1[col('Mã DV không phim')]).toBe('XQ.NGUC.T.KP');
    expect(r1[col('Mã DV có phim')]).toBe('XQ.NGUC.T.CP');
    expect(r1[col('Giá có phim (VND)')]).toBe('135000');
    expect(r1[col('Kỹ thuật viên')]).toBe('KTV An');

    expect(byId.get(ids.r2)![col('Họ tên người bệnh')]).toBe('TRẦN "BÉ" THỊ, MAI');
    expect(byId.get(ids.r2)![col('Phim 24x30')]).toBe('1');
    expect(byId.get(ids.r7)![col('Trạng thái')]).toBe('Đã hủy');
    expect(byId.get(ids.r7)![col('Lý do hủy')]).toBe('Người bệnh không nhận phim');
    expect(byId.get(ids.r8)![col('Ngày duyệt')]).toBe('21/01/2026');
    expect(byId.get(ids.r9)![col('Trạng thái')]).toBe('Chờ duyệt');
    // A formula typed into a text field is neutralised for Excel.
    expect(byId.get(ids.r9)![col('Mô tả')]).toBe(`'=HYPERLINK("http://x")`);
    expect(byId.get(ids.r6)![col('Mã DV có phim')]).toBe('');
  });

  it('writes ; as the separator on request (Excel with Vietnamese regional settings)', async () => {
    const out = await t.call('film.exportCsv', { from: '2026-01-05', to: '2026-01-05', delimiter: ';' });
    const parsed = Papa.parse<string[]>(out.csv.slice(1), { delimiter: ';', skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toHaveLength(2);
    expect(parsed.data[1]![parsed.data[0]!.indexOf('Họ tên người bệnh')]).toBe('TRẦN "BÉ" THỊ, MAI');
  });

  it('is audited', async () => {
    const audit = await t.call('audit.list', { action: 'film.exportCsv' });
    expect(audit.items.length).toBeGreaterThan(0);
    expect(audit.items[0]!.detail).toMatchObject({ from: '2026-01-05', to: '2026-01-05', rows: 1 });
  });
});

describe('film.summaryHtml', () => {
  it('is a self-contained A4 document with the figures, in Vietnamese by default', async () => {
    t.desk.settings.update({ clinic: { name: 'Phòng khám Đa khoa <Hòa Bình>' } });
    const { html } = await t.call('film.summaryHtml', { from: '2026-01-01', to: '2026-01-31' });
    expect(html).toMatch(/@page \{ size: A4/);
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain('BÁO CÁO CÁC TRƯỜNG HỢP CẤP PHIM CỨNG');
    expect(html).toContain('Từ ngày 01/01/2026 đến ngày 31/01/2026');
    expect(html).toContain('Phòng khám Đa khoa &lt;Hòa Bình&gt;');
    expect(html).toContain('385.000'); // patient requests billed, vi-VN grouping
    expect(html).toContain('HĐ KSK Trường THPT Phan Châu Trinh');
    expect(html).toContain('NGÔ QUYỀN'); // the pending approval is listed
    expect(html).toContain('=HYPERLINK(&quot;http://x&quot;)');
    expect(html).not.toMatch(/<script|src=|href=/i);
    const en = await t.call('film.summaryHtml', { from: '2026-01-01', to: '2026-01-31', lang: 'en' });
    expect(en.html).toContain('HARD FILM EXCEPTIONS REPORT');
  });
});
