/**
 * The register's history and billing through the real dispatch and SQLite: a void keeps the
 * record, a correction links old and new, a pending special case is approved by a new row, rows
 * cannot be rewritten, every write is audited and waits in the records outbox, and the visit's
 * billed service follows the active exceptions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDesk, type TestDesk } from '../support/desk';
import type { Caller } from '../../electron/core/dispatch';
import { filmExceptionKindSchema, filmVoidRecordSchema } from '../../shared/film-records';
import { visitFilmStatus } from '../../electron/services/film';
import { completeForms, insertStudy, insertVisit } from './film-fixtures';

let t: TestDesk;
let tech: Caller;
beforeAll(async () => {
  t = await startTestDesk();
  const op = await t.call('operators.create', { name: 'KTV Phạm Thị Hoà', role: 'technician' });
  tech = { operatorId: op.id };
});
afterAll(async () => {
  await t.close();
});

const outbox = (id: string) =>
  t.desk.db.prepare('SELECT kind, payload, status FROM records_outbox WHERE id = ?').get(id) as
    | { kind: string; payload: string; status: string }
    | undefined;

describe('film register', () => {
  it('records who, when, which studies, and both billing codes; the outbox holds it, not yet delivered', async () => {
    const visit = insertVisit(t.desk.db, { procedureCode: 'XQ.NGUC.T' });
    insertStudy(t.desk.db, visit.id, '1.2.826.0.1.3680043.8.498.1', 1);
    insertStudy(t.desk.db, visit.id, '1.2.826.0.1.3680043.8.498.2', 2);
    const view = await t.call('film.record', completeForms(visit.id).PATIENT_REQUEST, tech);
    expect(view.technician.name).toBe('KTV Phạm Thị Hoà');
    expect(view.recordedAt).toBe(t.clock.now());
    expect(view.patientName).toBe('NGUYỄN VĂN ẤN');
    expect(view.studyInstanceUIDs).toEqual(['1.2.826.0.1.3680043.8.498.1', '1.2.826.0.1.3680043.8.498.2']);
    expect(view.billing).toEqual({
      procedureCode: 'XQ.NGUC.T',
      serviceName: 'X-quang ngực thẳng',
      noFilmCode: 'XQ.NGUC.T.KP',
      noFilmPrice: 100_000,
      withFilmCode: 'XQ.NGUC.T.CP',
      withFilmPrice: 135_000,
    });
    expect(view.server).toEqual({ status: 'pending', deliveredAt: null });
    const row = outbox(view.id)!;
    expect(row.kind).toBe('film-exception');
    const payload = filmExceptionKindSchema.parse(JSON.parse(row.payload));
    expect(payload.event).toBe('recorded');
    if (payload.event === 'recorded') {
      expect(payload.visit.patientName).toBe('NGUYỄN VĂN ẤN');
      expect(payload.films).toEqual([{ size: '24x30', count: 2 }]);
      expect(payload.billing?.withFilmCode).toBe('XQ.NGUC.T.CP');
    }
  });

  it('the list shows whether the server has each record', async () => {
    const visit = insertVisit(t.desk.db);
    const view = await t.call('film.record', completeForms(visit.id).CONTRACT);
    t.desk.db.prepare("UPDATE records_outbox SET status = 'delivered', delivered_at = ? WHERE id = ?").run(t.clock.now(), view.id);
    const list = await t.call('film.list', { visitId: visit.id });
    expect(list.items.map((i) => i.server)).toEqual([{ status: 'delivered', deliveredAt: t.clock.now() }]);
  });

  it('switches the billed service to the with-film variant, and back when the exception is voided', async () => {
    const visit = insertVisit(t.desk.db, { procedureCode: 'XQ.CSTL.TN', procedureName: 'X-quang cột sống thắt lưng thẳng nghiêng' });
    expect(await t.call('film.visitBilling', { visitId: visit.id })).toMatchObject({
      variant: 'no-film',
      serviceCode: 'XQ.CSTL.TN.KP',
      price: 180_000,
    });
    const view = await t.call('film.record', completeForms(visit.id).CONTRACT);
    expect(await t.call('film.visitBilling', { visitId: visit.id })).toMatchObject({
      variant: 'with-film',
      serviceCode: 'XQ.CSTL.TN.CP',
      price: 250_000,
      exceptionId: view.id,
    });
    await t.call('film.void', { id: view.id, reason: 'Ghi nhầm lượt khám' });
    expect(await t.call('film.visitBilling', { visitId: visit.id })).toMatchObject({
      variant: 'no-film',
      serviceCode: 'XQ.CSTL.TN.KP',
      exceptionId: null,
    });
  });

  it('matches the catalog by Vietnamese name when the visit has no procedure code; an unknown one is billed by hand', async () => {
    const byName = insertVisit(t.desk.db, { procedureCode: '', procedureName: 'x-quang NGỰC thẳng' });
    const v1 = await t.call('film.record', completeForms(byName.id).PATIENT_REQUEST);
    expect(v1.billing?.withFilmCode).toBe('XQ.NGUC.T.CP');
    const unknown = insertVisit(t.desk.db, { procedureCode: 'XQ.LA', procedureName: 'Thủ thuật lạ' });
    const v2 = await t.call('film.record', completeForms(unknown.id).PATIENT_REQUEST);
    expect(v2.billing).toBeNull();
    expect(await t.call('film.visitBilling', { visitId: unknown.id })).toMatchObject({ variant: 'with-film', serviceCode: null });
  });

  it('a void keeps the record in the history, marked, with its reason; voiding twice is refused', async () => {
    const visit = insertVisit(t.desk.db, { patientID: 'BN-VOID' });
    const view = await t.call('film.record', completeForms(visit.id).SPECIAL, tech);
    t.clock.advance(60_000);
    const voided = await t.call('film.void', { id: view.id, reason: 'Người bệnh đổi ý, không lấy phim' }, tech);
    expect(voided.void).toMatchObject({ reason: 'Người bệnh đổi ý, không lấy phim', voidedAt: t.clock.now(), by: { name: 'KTV Phạm Thị Hoà' } });
    const all = await t.call('film.list', { visitId: visit.id });
    expect(all.items).toHaveLength(1);
    expect(all.items[0]!.void?.reason).toBe('Người bệnh đổi ý, không lấy phim');
    expect((await t.call('film.list', { visitId: visit.id, includeVoided: false })).items).toHaveLength(0);

    const again = await t.raw('film.void', { id: view.id, reason: 'lần hai' });
    expect(again.ok === false && again.error.code).toBe('FILM_ALREADY_VOIDED');

    const row = outbox(voided.void!.id)!;
    expect(row.kind).toBe('film-void');
    expect(filmVoidRecordSchema.parse(JSON.parse(row.payload))).toMatchObject({ exceptionId: view.id, replacedById: null });
    expect(voided.void!.server).toEqual({ status: 'pending', deliveredAt: null });
  });

  it('a correction voids the old record and links the new one to it, in one step', async () => {
    const visit = insertVisit(t.desk.db);
    const wrong = await t.call('film.record', { ...completeForms(visit.id).CONTRACT, contractNumber: 'HĐ-SAI' });
    const noReason = await t.raw('film.record', { ...completeForms(visit.id).CONTRACT, replacesId: wrong.id });
    expect(noReason.ok === false && noReason.error.field).toBe('correctionReason');

    const fixed = await t.call('film.record', {
      ...completeForms(visit.id).CONTRACT,
      replacesId: wrong.id,
      correctionReason: 'Sai số hợp đồng',
    });
    expect(fixed.replacesId).toBe(wrong.id);
    const list = await t.call('film.list', { visitId: visit.id });
    const old = list.items.find((i) => i.id === wrong.id)!;
    expect(old.void?.reason).toBe('Sai số hợp đồng');
    expect(old.replacedById).toBe(fixed.id);
    expect(list.items.find((i) => i.id === fixed.id)!.void).toBeNull();
    expect(JSON.parse(outbox(old.void!.id)!.payload).replacedById).toBe(fixed.id);
    expect((await t.call('film.visitBilling', { visitId: visit.id })).exceptionId).toBe(fixed.id);

    const twice = await t.raw('film.record', { ...completeForms(visit.id).CONTRACT, replacesId: wrong.id, correctionReason: 'x' });
    expect(twice.ok === false && twice.error.code).toBe('FILM_ALREADY_CORRECTED');
  });

  it('a pending special case is completed by an approval row; the original record is unchanged', async () => {
    const visit = insertVisit(t.desk.db);
    const { approvedBy: _a, approvalReference: _b, approvalDate: _c, ...form } = completeForms(visit.id).SPECIAL;
    const pending = await t.call('film.record', { ...form, pendingApproval: true }, tech);
    const before = t.desk.db.prepare('SELECT * FROM film_exceptions WHERE id = ?').get(pending.id);
    t.clock.advance(3_600_000);
    const approved = await t.call('film.approve', {
      id: pending.id,
      approvedBy: 'BS. Lê Quốc Hùng, Phó Giám đốc',
      approvalReference: '130/QĐ-PKĐK',
      approvalDate: '2026-01-15',
    });
    expect(approved.pendingApproval).toBe(false);
    expect(approved.approval).toMatchObject({ approvalReference: '130/QĐ-PKĐK', later: true, recordedAt: t.clock.now() });
    expect(t.desk.db.prepare('SELECT * FROM film_exceptions WHERE id = ?').get(pending.id)).toEqual(before);
    expect(approved.approval!.server).toEqual({ status: 'pending', deliveredAt: null });
    const approvalId = (t.desk.db.prepare('SELECT id FROM film_approvals WHERE exception_id = ?').get(pending.id) as { id: string }).id;
    const row = outbox(approvalId)!;
    expect(row.kind).toBe('film-exception');
    const payload = filmExceptionKindSchema.parse(JSON.parse(row.payload));
    expect(payload).toMatchObject({ event: 'approved', exceptionId: pending.id, approvalReference: '130/QĐ-PKĐK' });

    const again = await t.raw('film.approve', { id: pending.id, approvedBy: 'x', approvalReference: 'y', approvalDate: '2026-01-15' });
    expect(again.ok === false && again.error.code).toBe('FILM_NOT_PENDING');
    const notSpecial = await t.call('film.record', completeForms(visit.id).CONTRACT);
    const wrongCase = await t.raw('film.approve', { id: notSpecial.id, approvedBy: 'x', approvalReference: 'y', approvalDate: '2026-01-15' });
    expect(wrongCase.ok === false && wrongCase.error.code).toBe('FILM_NOT_PENDING');
  });

  it("gives the visits list a visit's film state: none, pending approval, film issued, none again after a void", async () => {
    const visit = insertVisit(t.desk.db);
    expect(visitFilmStatus(t.desk.db, visit.id)).toBe('none');
    const { approvedBy: _a, approvalReference: _b, approvalDate: _c, ...form } = completeForms(visit.id).SPECIAL;
    const view = await t.call('film.record', { ...form, pendingApproval: true });
    expect(visitFilmStatus(t.desk.db, visit.id)).toBe('pending-approval');
    await t.call('film.approve', { id: view.id, approvedBy: 'BGĐ', approvalReference: '2/QĐ', approvalDate: '2026-01-15' });
    expect(visitFilmStatus(t.desk.db, visit.id)).toBe('film-issued');
    await t.call('film.void', { id: view.id, reason: 'thử' });
    expect(visitFilmStatus(t.desk.db, visit.id)).toBe('none');
  });

  it('a walk-in already reconciled into the real visit records against the real visit', async () => {
    const real = insertVisit(t.desk.db, { patientID: 'BN-REAL', patientName: 'NGUYỄN THỊ MINH KHAI' });
    const walkIn = insertVisit(t.desk.db, { patientID: 'TMP-0001', patientName: 'NGUYEN THI MINH KHAI' });
    t.desk.db.prepare('UPDATE visits SET reconciled_to = ? WHERE id = ?').run(real.id, walkIn.id);
    const view = await t.call('film.record', completeForms(walkIn.id).CONTRACT);
    expect(view).toMatchObject({ visitId: real.id, patientID: 'BN-REAL', patientName: 'NGUYỄN THỊ MINH KHAI' });
    expect((await t.call('film.visitBilling', { visitId: real.id })).variant).toBe('with-film');
  });

  it('register rows cannot be updated or deleted, even with SQL', async () => {
    const visit = insertVisit(t.desk.db);
    const view = await t.call('film.record', completeForms(visit.id).CONTRACT);
    await t.call('film.void', { id: view.id, reason: 'thử' });
    const db = t.desk.db;
    expect(() => db.prepare("UPDATE film_exceptions SET contract_number = 'X' WHERE id = ?").run(view.id)).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM film_exceptions WHERE id = ?').run(view.id)).toThrow(/append-only/);
    expect(() => db.prepare('UPDATE film_exception_films SET count = 9 WHERE exception_id = ?').run(view.id)).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM film_voids WHERE exception_id = ?').run(view.id)).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE film_approvals SET approved_by = 'x'").run()).toThrow(/append-only/);
    // The per-case rules hold at the table too, not only in the schema.
    expect(() =>
      db
        .prepare(
          `INSERT INTO film_exceptions (id, recorded_at, desk_id, operator_name, visit_id, visit_number, patient_id, patient_name,
             accession_number, procedure_code, procedure_name, case_kind, study_uids, contract_name)
           VALUES ('x', 0, 'd', 'o', 'v', '', '', '', '', '', '', 'CONTRACT', '[]', 'HĐ')`,
        )
        .run(),
    ).toThrow(/CHECK/);
  });

  it('every record, void and approval is audited against the patient', async () => {
    const visit = insertVisit(t.desk.db, { patientID: 'BN-AUDIT-2' });
    const { approvedBy: _a, approvalReference: _b, approvalDate: _c, ...form } = completeForms(visit.id).SPECIAL;
    const view = await t.call('film.record', { ...form, pendingApproval: true }, tech);
    await t.call('film.approve', { id: view.id, approvedBy: 'BGĐ', approvalReference: '1/QĐ', approvalDate: '2026-01-15' });
    await t.call('film.void', { id: view.id, reason: 'thử' });
    const audit = await t.call('audit.list', {});
    const mine = audit.items.filter((a) => a.patientID === 'BN-AUDIT-2');
    expect(mine.map((a) => [a.action, a.outcome]).sort()).toEqual([
      ['film.approve', 'ok'],
      ['film.record', 'ok'],
      ['film.void', 'ok'],
    ]);
    const record = mine.find((a) => a.action === 'film.record')!;
    expect(record.detail).toMatchObject({ id: view.id, visitId: visit.id, case: 'SPECIAL', pendingApproval: true });
    expect(record.operatorId).toBe(tech.operatorId);
    // No names in the audit detail: the patient is named by PatientID only.
    expect(JSON.stringify(mine)).not.toContain('NGUYỄN');
  });

  it('emits film.changed so open lists and the visit refresh', async () => {
    const seen: string[] = [];
    const off = t.desk.events.subscribe((name, payload) => {
      if (name === 'film.changed') seen.push((payload as { action: string }).action);
    });
    const visit = insertVisit(t.desk.db);
    const view = await t.call('film.record', completeForms(visit.id).CONTRACT);
    await t.call('film.void', { id: view.id, reason: 'thử' });
    off();
    expect(seen).toEqual(['recorded', 'voided']);
  });

  it('catalog.update is for admins only, audited, and does not rewrite prices already recorded', async () => {
    const visit = insertVisit(t.desk.db, { procedureCode: 'XQ.GOI.TN', procedureName: 'X-quang khớp gối thẳng nghiêng' });
    const before = await t.call('film.record', completeForms(visit.id).PATIENT_REQUEST);
    const entry = { procedureCode: 'XQ.GOI.TN', name: 'X-quang khớp gối thẳng nghiêng', noFilmCode: 'XQ.GOI.TN.KP', noFilmPrice: 150_000, withFilmCode: 'XQ.GOI.TN.CP2', withFilmPrice: 210_000 };
    const denied = await t.raw('catalog.update', entry, tech);
    expect(denied.ok === false && denied.error.code).toBe('FORBIDDEN');
    const updated = await t.call('catalog.update', entry);
    expect(updated).toMatchObject({ withFilmCode: 'XQ.GOI.TN.CP2', withFilmPrice: 210_000, active: true });
    const list = await t.call('catalog.list', {});
    expect(list.items.find((i) => i.procedureCode === 'XQ.GOI.TN')?.withFilmPrice).toBe(210_000);
    const again = (await t.call('film.list', { visitId: visit.id })).items[0]!;
    expect(again.id).toBe(before.id);
    expect(again.billing?.withFilmPrice).toBe(220_000);
    const audit = (await t.call('audit.list', { action: 'catalog.update' })).items;
    expect(audit.map((a) => a.outcome).sort()).toEqual(['error', 'ok']);
    expect(audit.find((a) => a.outcome === 'ok')!.detail).toMatchObject({ old: { withFilmPrice: 220_000 }, new: { withFilmPrice: 210_000 } });
  });
});
