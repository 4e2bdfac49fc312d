/**
 * The slips slice through compose() and dispatch(): input validation, the audit record of each
 * patient action (patient named, token never), and the printer methods.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDesk, type TestDesk } from '../support/desk';
import { startPrinterCapture, type PrinterCapture } from '../support/printer-capture';
import { decodeEscPos } from '../support/escpos-decoder';
import { insertVisit, PORTAL, scanQr } from './slip-fixtures';

describe('slips through dispatch', () => {
  let t: TestDesk;
  let capture: PrinterCapture;

  beforeAll(async () => {
    capture = await startPrinterCapture();
    t = await startTestDesk();
    await t.call('settings.update', { portal: { baseUrl: PORTAL }, printer: { interface: capture.uri, widthDots: 384 } });
  });
  afterAll(async () => {
    await t.close();
    await capture.close();
  });

  it('previews, prints and reprints with audit records that name the patient and never the token', async () => {
    const visit = insertVisit(t.desk.db, { patientName: 'PHẠM THỊ HƯƠNG' });
    const preview = await t.call('slips.preview', { visitId: visit.id });
    expect(preview.width).toBe(384);

    const printed = await t.call('slips.print', { visitId: visit.id });
    expect(printed.lookupCode).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect(printed).not.toHaveProperty('url');
    const token = scanQr(decodeEscPos((await capture.nextClosed()).bytes()).raster!)!.slice(`${PORTAL}/r/`.length);

    const noReason = await t.raw('slips.reprint', { slipId: printed.slipId });
    expect(noReason).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const reprinted = await t.call('slips.reprint', { slipId: printed.slipId, reason: 'khách làm mất phiếu' });
    expect(reprinted.revokedSlipIds).toEqual([printed.slipId]);
    await capture.nextClosed();

    const { items } = await t.call('audit.list', { limit: 20 });
    const slipAudits = items.filter((i) => i.action.startsWith('slips.'));
    expect(slipAudits.map((i) => [i.action, i.outcome, i.patientID])).toEqual([
      ['slips.reprint', 'ok', visit.patientID],
      ['slips.reprint', 'error', null],
      ['slips.print', 'ok', visit.patientID],
      ['slips.preview', 'ok', visit.patientID],
    ]);
    expect(JSON.stringify(items)).not.toContain(token);
    expect(slipAudits[2]!.detail).toMatchObject({ visitId: visit.id, slipId: printed.slipId, tokenHash: expect.stringMatching(/^[0-9a-f]{8}$/) });

    const listed = await t.call('slips.list', { visitId: visit.id });
    expect(listed.items.map((i) => i.status)).toEqual(['active', 'revoked']);
  });

  it('a printer failure is audited as an error for that patient', async () => {
    const visit = insertVisit(t.desk.db);
    const down = await startPrinterCapture({ mode: 'refuse' });
    await t.call('settings.update', { printer: { interface: down.uri } });
    const res = await t.raw('slips.print', { visitId: visit.id });
    expect(res).toMatchObject({ ok: false, error: { code: 'PRINTER_OFFLINE' } });
    if (!res.ok) expect(res.error.messages.vi).toMatch(/^Máy in không kết nối được/);
    const { items } = await t.call('audit.list', { limit: 1, action: 'slips.print' });
    expect(items[0]).toMatchObject({ outcome: 'error', patientID: visit.patientID, detail: { error: 'PRINTER_OFFLINE' } });
    await t.call('settings.update', { printer: { interface: capture.uri } });
    await down.close();
  });

  it('takes the slip texts from settings, per UI language', async () => {
    const visit = insertVisit(t.desk.db);
    const before = await t.call('slips.preview', { visitId: visit.id });
    const settings = await t.call('settings.update', { slips: { template: { vi: { title: 'PHIẾU KẾT QUẢ CHẨN ĐOÁN HÌNH ẢNH' } } } });
    expect(settings.slips.template.vi.title).toBe('PHIẾU KẾT QUẢ CHẨN ĐOÁN HÌNH ẢNH');
    expect(settings.slips.template.en.title).toBe('X-RAY RESULT SLIP');
    const edited = await t.call('slips.preview', { visitId: visit.id });
    expect(edited.png).not.toBe(before.png);
    await t.call('settings.update', { ui: { language: 'en' } });
    const english = await t.call('slips.preview', { visitId: visit.id });
    expect(english.png).not.toBe(edited.png);
    await t.call('settings.update', { ui: { language: 'vi' } });
    expect((await t.raw('settings.update', { slips: { template: { vi: { title: '' } } } })).ok).toBe(false);
  });

  it('prints a test page and reports printer status', async () => {
    const page = await t.call('printer.testPage', {});
    expect(page.confirmed).toBe(true);
    const job = decodeEscPos((await capture.nextClosed()).bytes());
    expect(scanQr(job.raster!)).toBe('RADIOLOGY-DESK-TEST-PAGE');
    expect(await t.call('printer.status', {})).toEqual({ configured: true, portKind: 'tcp', reachable: true, answered: true, paper: 'ok' });
    await capture.nextClosed();
  });
});
