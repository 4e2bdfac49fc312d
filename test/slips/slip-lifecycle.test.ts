/**
 * Tokens over a slip's life: one live slip per visit, reprint revokes the old token (with its
 * record for the server) only once the new slip went out, revoke, expiry by clock, a visit
 * without images, and the records that carry it all to the clinic server.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPrinterCapture, type PrinterCapture } from '../support/printer-capture';
import { decodeEscPos } from '../support/escpos-decoder';
import { hashToken } from '../../electron/services/slips/slip-tokens';
import { slipRecordSchema, tokenRevocationRecordSchema } from '../../shared/contract/slips';
import { insertStudy, insertVisit, outboxRecords, PORTAL, scanQr, slipsFixture, type SlipsFixture } from './slip-fixtures';

let capture: PrinterCapture;
let f: SlipsFixture;

beforeEach(async () => {
  capture = await startPrinterCapture();
  f = slipsFixture({ settings: { printer: { interface: capture.uri } } });
});
afterEach(async () => {
  f.close();
  await capture.close();
});

async function printedToken(): Promise<string> {
  const url = scanQr(decodeEscPos((await capture.nextClosed()).bytes()).raster!)!;
  return url.slice(`${PORTAL}/r/`.length);
}

describe('slip lifecycle', () => {
  it('a reprint issues a new token and revokes the old one, with records for the server', async () => {
    const visit = insertVisit(f.db);
    const first = await f.slips.print(visit.id, f.caller);
    const oldToken = await printedToken();

    // A second plain print would leave two live tokens: refused.
    await expect(f.slips.print(visit.id, f.caller)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(capture.connectionCount).toBe(1);

    const second = await f.slips.reprint({ slipId: first.slipId }, 'giấy bị nhòe', f.caller);
    const newToken = await printedToken();
    expect(newToken).not.toBe(oldToken);
    expect(second.revokedSlipIds).toEqual([first.slipId]);

    const list = f.slips.list({ visitId: visit.id, limit: 10 });
    expect(list.map((s) => [s.slipId, s.status])).toEqual([
      [second.slipId, 'active'],
      [first.slipId, 'revoked'],
    ]);
    expect(list[1]).toMatchObject({ revokeReason: 'reprint: giấy bị nhòe', replacedBy: second.slipId, lastPrint: { status: 'printed' } });

    const records = outboxRecords(f.db);
    expect(records.map((r) => r.kind)).toEqual(['slip', 'slip', 'token-revocation']);
    for (const r of records) (r.kind === 'slip' ? slipRecordSchema : tokenRevocationRecordSchema).parse(r.payload);
    expect(records[1]!.payload).toMatchObject({ tokenHash: hashToken(newToken), replaces: first.slipId });
    expect(records[2]!.payload).toMatchObject({ slipId: first.slipId, tokenHash: hashToken(oldToken), replacedBy: second.slipId, reason: 'reprint: giấy bị nhòe' });
    // Audit detail of the reprint: a hash prefix at most, never a token.
    const audit = JSON.stringify(f.caller.subjects);
    expect(audit).not.toContain(oldToken);
    expect(audit).not.toContain(newToken);
    expect(audit).toContain(hashToken(newToken).slice(0, 8));
  });

  it('a reprint that cannot reach the printer leaves the old slip valid', async () => {
    const visit = insertVisit(f.db);
    const first = await f.slips.print(visit.id, f.caller);
    await capture.nextClosed();
    await capture.close();
    await expect(f.slips.reprint({ visitId: visit.id }, 'mất phiếu', f.caller)).rejects.toMatchObject({ code: 'PRINTER_OFFLINE' });
    const statuses = f.slips.list({ visitId: visit.id, limit: 10 }).map((s) => [s.slipId === first.slipId ? 'old' : 'new', s.status]);
    expect(statuses).toEqual([
      ['new', 'revoked'],
      ['old', 'active'],
    ]);
  });

  it('revoke needs a reason, is recorded once, and expiry comes from the clock', async () => {
    const a = insertVisit(f.db);
    const b = insertVisit(f.db);
    const sa = await f.slips.print(a.id, f.caller);
    const sb = await f.slips.print(b.id, f.caller);
    const revoked = f.slips.revoke(sa.slipId, 'in nhầm bệnh nhân', f.caller);
    expect(revoked).toMatchObject({ status: 'revoked', revokeReason: 'in nhầm bệnh nhân' });
    f.slips.revoke(sa.slipId, 'lần nữa', f.caller);
    expect(outboxRecords(f.db, 'token-revocation')).toHaveLength(1);

    f.clock.advance(365 * 86_400_000);
    expect(f.slips.list({ visitId: b.id, limit: 5 })[0]!.status).toBe('expired');
    expect(f.slips.list({ visitId: a.id, limit: 5 })[0]!.status).toBe('revoked');
    // An expired slip no longer blocks a fresh print.
    await expect(f.slips.print(b.id, f.caller)).resolves.toMatchObject({ slipId: expect.not.stringMatching(sb.slipId) });
  });

  it('prints for a visit with no images yet, naming the study the order announced', async () => {
    const visit = insertVisit(f.db, { studyInstanceUID: '1.2.826.0.1.3680043.10.9.9', sex: 'M', birthDate: '' });
    await f.slips.print(visit.id, f.caller);
    const [record] = outboxRecords(f.db, 'slip');
    expect(record!.payload).toMatchObject({ studyInstanceUIDs: ['1.2.826.0.1.3680043.10.9.9'], exams: ['X-quang ngực thẳng'], patient: { sex: 'M', birthYear: null } });
  });

  it('follows a walk-in reconciled into its worklist visit', async () => {
    const real = insertVisit(f.db);
    const walkIn = insertVisit(f.db);
    insertStudy(f.db, real.id, '1.2.3.4', 'X-quang ngực thẳng');
    f.db.prepare('UPDATE visits SET reconciled_to = ? WHERE id = ?').run(real.id, walkIn.id);
    await f.slips.print(walkIn.id, f.caller);
    expect(outboxRecords(f.db, 'slip')[0]!.payload).toMatchObject({ visitId: real.id, studyInstanceUIDs: ['1.2.3.4'] });
  });

  it('says on the slip when the page will ask for the birth year, and tells the server', async () => {
    f.settings.set({ slips: { requireBirthYear: true } });
    const withNotice = f.slips.preview(insertVisit(f.db).id, f.caller);
    f.settings.set({ slips: { requireBirthYear: false } });
    const without = f.slips.preview(insertVisit(f.db).id, f.caller);
    expect(withNotice.height).toBeGreaterThan(without.height);
    f.settings.set({ slips: { requireBirthYear: true } });
    await f.slips.print(insertVisit(f.db).id, f.caller);
    expect(outboxRecords(f.db, 'slip')[0]!.payload).toMatchObject({ requireBirthYear: true });
  });

  it('refuses to print without a result page address or a printer, before issuing a token', async () => {
    const visit = insertVisit(f.db);
    f.settings.set({ portal: { baseUrl: '' } });
    await expect(f.slips.print(visit.id, f.caller)).rejects.toMatchObject({ code: 'PORTAL_NOT_CONFIGURED' });
    f.settings.set({ portal: { baseUrl: PORTAL }, printer: { interface: '' } });
    await expect(f.slips.print(visit.id, f.caller)).rejects.toMatchObject({ code: 'PRINTER_NOT_CONFIGURED' });
    await expect(f.slips.print('no-such-visit', f.caller)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(f.db.prepare('SELECT COUNT(*) AS n FROM slips').get()).toEqual({ n: 0 });
    expect(outboxRecords(f.db)).toEqual([]);
  });

  it('two clicks at once issue one token', async () => {
    const visit = insertVisit(f.db);
    const results = await Promise.allSettled([f.slips.print(visit.id, f.caller), f.slips.print(visit.id, f.caller)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(f.db.prepare('SELECT COUNT(*) AS n FROM slips').get()).toEqual({ n: 1 });
  });
});
